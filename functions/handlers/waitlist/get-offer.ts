import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { getOffer } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetOffer', ({ caller, params }) => getOffer(waitlistDeps, caller, params.offerId));
