import { tenancyTimelineStore } from '../../adapters/dynamodb/tenancy-timeline';
import { tenancyTimeline } from '../../domain/tenancy-timeline';
import { httpRoute } from '../../http/route';

const deps = { timeline: tenancyTimelineStore };

export const handler = httpRoute('GetTenancyTimeline', ({ caller, params, query }) => tenancyTimeline(deps, caller, params.tenancyId, query));
