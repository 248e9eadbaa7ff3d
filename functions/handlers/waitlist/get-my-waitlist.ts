import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { myWaitlist } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetMyWaitlist', ({ caller }) => myWaitlist(waitlistDeps, caller));
