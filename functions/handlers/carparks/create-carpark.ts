import { createCarpark } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateCarpark', ({ caller, body }) => createCarpark(carparkDeps, caller, body));
