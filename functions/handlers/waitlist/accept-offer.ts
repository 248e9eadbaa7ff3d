import { tenancyDeps } from '../../adapters/wiring/tenancies';
import { waitlistRepository } from '../../adapters/dynamodb/waitlist-repository';
import { acceptOffer } from '../../domain/tenancy-service';
import { httpRoute } from '../../http/route';

const deps = { ...tenancyDeps, waitlist: waitlistRepository };

export const handler = httpRoute('AcceptOffer', ({ caller, params, body }) => acceptOffer(deps, caller, params.offerId, body));
