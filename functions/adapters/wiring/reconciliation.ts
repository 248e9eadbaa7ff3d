/** Wiring for the barrier reconciliation job: DynamoDB and SmartParking. */
import { systemClock } from '../../domain/clock';
import type { ReconciliationDeps } from '../../domain/reconciliation';
import { reconciliationRuns } from '../dynamodb/reconciliation-runs';
import { carparkRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { smartParkingBarrier } from '../smartparking/client';

export const reconciliationDeps: ReconciliationDeps = {
  carparks: carparkRepository,
  tenancies: tenancyRepository,
  barrier: smartParkingBarrier,
  runs: reconciliationRuns,
  clock: systemClock,
};
