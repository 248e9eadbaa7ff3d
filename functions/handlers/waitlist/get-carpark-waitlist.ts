import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { carparkWaitlist } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetCarparkWaitlist', ({ caller, params }) => carparkWaitlist(waitlistDeps, caller, params.carparkId));
