import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { joinWaitlist } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('JoinWaitlist', ({ caller, params, body }) => joinWaitlist(waitlistDeps, caller, params.carparkId, body));
