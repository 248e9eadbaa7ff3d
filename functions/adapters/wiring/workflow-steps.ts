/** Wiring for the workflow task functions: DynamoDB, Stripe, SmartParking and SES. */
import { portalLinks } from '../../domain/email-format';
import type { WorkflowDeps } from '../../domain/tenancy-workflow';
import { ENV, requireEnv } from '../../environment';
import { carparkRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';
import { smartParkingBarrier } from '../smartparking/client';
import { billingDeps } from './billing';

export const workflowDeps: WorkflowDeps = {
  ...billingDeps,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  mailer: sesMailer,
  // Read when an email is written, not when the module loads.
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};
