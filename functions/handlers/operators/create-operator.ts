import { createOperator } from '../../domain/carpark-admin';
import { carparkDeps } from '../../adapters/wiring/carparks';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateOperator', ({ caller, body }) => createOperator(carparkDeps, caller, body));
