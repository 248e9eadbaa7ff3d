import { changeTenancy } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateTenancy', ({ caller, params, body }) =>
  changeTenancy(tenancyDeps, caller, params.tenancyId, body),
);
