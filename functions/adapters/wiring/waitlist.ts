/** Wiring for waitlists: DynamoDB, Step Functions (one workflow per offer) and SES. */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import type { OfferNoticeDeps, OfferWorkflows, WaitlistDeps } from '../../domain/waitlist';
import { ENV, requireEnv } from '../../environment';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { waitlistRepository } from '../dynamodb/waitlist-repository';
import { sesMailer } from '../ses-mailer';
import { offersOnTheBus, stepFunctionsOffers } from '../workflows';

export const waitlistDeps: WaitlistDeps = {
  waitlist: waitlistRepository,
  carparks: carparkRepository,
  offers: stepFunctionsOffers,
  clock: systemClock,
};

/** The waitlist steps that email, with the way each starts an offer's run. */
const noticeDeps = (offers: OfferWorkflows): OfferNoticeDeps & { carparks: typeof carparkRepository } => ({
  ...waitlistDeps,
  carparks: carparkRepository,
  offers,
  mailer: sesMailer,
  users: userRepository,
  // Read when an email is written, not when the module loads.
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
});

/** The sweep: starts offer runs directly. */
export const offerNoticeDeps = noticeDeps(stepFunctionsOffers);

/** The lapse step, a task of the offer workflow itself: the next offer's run is started through the bus. */
export const lapseStepDeps = noticeDeps(offersOnTheBus);
