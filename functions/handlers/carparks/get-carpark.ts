import { getCarpark } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/wiring/carparks';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetCarpark', ({ params }) => getCarpark(carparkDeps, params.carparkId));
