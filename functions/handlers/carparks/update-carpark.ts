import { updateCarpark } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateCarpark', ({ caller, params, body }) =>
  updateCarpark(carparkDeps, caller, params.carparkId, body),
);
