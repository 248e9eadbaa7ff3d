import { getTenancy } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetTenancy', ({ caller, params }) => getTenancy(tenancyDeps, caller, params.tenancyId));
