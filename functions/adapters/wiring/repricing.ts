/** Wiring for repricing a car park's tenancies: DynamoDB, Stripe and SES. */
import { portalLinks } from '../../domain/email-format';
import type { RepricingDeps } from '../../domain/repricing';
import { ENV, requireEnv } from '../../environment';
import { carparkRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';
import { billingDeps } from './billing';

export const repricingDeps: RepricingDeps = {
  ...billingDeps,
  carparks: carparkRepository,
  tenancies: tenancyRepository,
  mailer: sesMailer,
  // Read when an email is written, not when the module loads.
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};
