import { removePlate } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { decodedPathParam } from '../../http/path-params';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('RemovePlate', ({ caller, params }) => removePlate(tenancyDeps, caller, params.tenancyId, decodedPathParam(params.plate)));
