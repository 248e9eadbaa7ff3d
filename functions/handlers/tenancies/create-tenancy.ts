import { createTenancy } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateTenancy', ({ caller, body }) => createTenancy(tenancyDeps, caller, body));
