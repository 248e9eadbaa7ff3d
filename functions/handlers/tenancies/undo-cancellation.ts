import { undoCancellation } from '../../domain/tenancy-service';
import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UndoCancellation', ({ caller, params }) => undoCancellation(tenancyDeps, caller, params.tenancyId));
