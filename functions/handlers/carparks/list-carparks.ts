import { listCarparks } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/wiring/carparks';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListCarparks', ({ query }) => listCarparks(carparkDeps, query));
