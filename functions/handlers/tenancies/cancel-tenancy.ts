import { cancelTenancy } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CancelTenancy', ({ caller, params }) => cancelTenancy(tenancyDeps, caller, params.tenancyId));
