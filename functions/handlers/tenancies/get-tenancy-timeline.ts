import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { tenancyTimelineStore } from '../../adapters/dynamodb/tenancy-timeline';
import { tenancyTimeline } from '../../domain/tenancy-timeline';
import { httpRoute } from '../../http/route';

const deps = { tenancies: tenancyRepository, timeline: tenancyTimelineStore };

export const handler = httpRoute('GetTenancyTimeline', ({ caller, params, query }) => tenancyTimeline(deps, caller, params.tenancyId, query));
