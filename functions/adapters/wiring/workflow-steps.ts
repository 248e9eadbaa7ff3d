/**
 * Wiring for the workflow task functions that never call Stripe: DynamoDB, SmartParking and SES.
 * Kept free of the Stripe gateway so that their bundles do not carry the Stripe SDK; the billing
 * steps use workflow-billing.ts.
 */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import type { StepDeps } from '../../domain/tenancy-workflow';
import { ENV, requireEnv } from '../../environment';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';
import { spaceReleasesOnTheBus } from '../space-releases';
import { smartParkingBarrier } from '../smartparking/client';

export const workflowDeps: StepDeps = {
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  mailer: sesMailer,
  users: userRepository,
  clock: systemClock,
  spaces: spaceReleasesOnTheBus,
  // Read when an email is written, not when the module loads.
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};
