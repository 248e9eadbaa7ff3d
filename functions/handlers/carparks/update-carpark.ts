import { updateCarpark } from '../../domain/carpark-admin';
import { carparkWriteDeps } from '../../adapters/wiring/carpark-writes';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateCarpark', ({ caller, params, body }) =>
  updateCarpark(carparkWriteDeps, caller, params.carparkId, body),
);
