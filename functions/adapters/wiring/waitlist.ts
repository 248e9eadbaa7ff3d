/** Wiring for waitlists: DynamoDB, Step Functions (one workflow per offer) and SES. */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import type { OfferNoticeDeps, WaitlistDeps } from '../../domain/waitlist';
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

export const offerNoticeDeps: OfferNoticeDeps & { carparks: typeof carparkRepository } = {
  ...waitlistDeps,
  carparks: carparkRepository,
  mailer: sesMailer,
  users: userRepository,
  // Read when an email is written, not when the module loads.
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};

/** The lapse step, a task of the offer workflow itself: the next offer's run is started through the bus. */
export const lapseStepDeps: OfferNoticeDeps = {
  waitlist: waitlistRepository,
  carparks: carparkRepository,
  clock: systemClock,
  mailer: sesMailer,
  users: userRepository,
  offers: offersOnTheBus,
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};
