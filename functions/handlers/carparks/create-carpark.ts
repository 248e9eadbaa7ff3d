import { createCarpark } from '../../domain/carpark-admin';
import { carparkWriteDeps } from '../../adapters/wiring/carpark-writes';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateCarpark', ({ caller, body }) => createCarpark(carparkWriteDeps, caller, body));
