import { addPlate } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('AddPlate', ({ caller, params, body }) => addPlate(tenancyDeps, caller, params.tenancyId, body.plate));
