import { listCarparks } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListCarparks', ({ query }) => listCarparks(carparkDeps, query));
