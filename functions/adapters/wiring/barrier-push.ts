/** Wiring for pushing a tenancy's plate to the barrier: DynamoDB and SmartParking. */
import { systemClock } from '../../domain/clock';
import type { BarrierPushDeps } from '../../domain/barrier-push';
import { carparkRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { smartParkingBarrier } from '../smartparking/client';

export const barrierPushDeps: BarrierPushDeps = {
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  clock: systemClock,
};
