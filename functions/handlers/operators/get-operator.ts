import { getOperator } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/wiring/carparks';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetOperator', ({ caller, params }) => getOperator(carparkDeps, caller, params.operatorId));
