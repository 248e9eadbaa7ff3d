/** Wiring for the car park and operator routes; only writes reach Stripe (see carpark-writes.ts). */
import type { CarparkDeps } from '../../domain/carpark-admin';
import { systemClock } from '../../domain/clock';
import { carparkRepository, operatorRepository } from '../dynamodb/repositories';

export const carparkDeps: CarparkDeps = {
  operators: operatorRepository,
  carparks: carparkRepository,
  clock: systemClock,
};
