import { updateBilling } from '../../domain/billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { tenancyTimelineStore } from '../../adapters/dynamodb/tenancy-timeline';
import { httpRoute } from '../../http/route';

const deps = { ...billingDeps, tenancies: tenancyRepository, timeline: tenancyTimelineStore };

export const handler = httpRoute('UpdateBilling', ({ caller, body }) => updateBilling(deps, caller, body));
