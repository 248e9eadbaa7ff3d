import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { declineOffer } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('DeclineOffer', ({ caller, params }) => declineOffer(waitlistDeps, caller, params.offerId));
