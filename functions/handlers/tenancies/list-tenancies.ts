import { listTenancies } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListTenancies', ({ caller, query }) => listTenancies(tenancyDeps, caller, query));
