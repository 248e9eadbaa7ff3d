import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { leaveWaitlist } from '../../domain/waitlist';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('LeaveWaitlist', ({ caller, params }) => leaveWaitlist(waitlistDeps, caller, params.carparkId, params.vehicleType));
