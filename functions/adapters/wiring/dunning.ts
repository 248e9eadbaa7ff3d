/** Wiring for dunning (tasks and consumers): DynamoDB, Stripe, SmartParking, SES, Step Functions. */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import { parseRetrySchedule, type DunningDeps } from '../../domain/dunning';
import { ENV, requireEnv } from '../../environment';
import { arrearsStore } from '../dynamodb/arrears-store';
import { paymentStore } from '../dynamodb/payment-store';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';
import { smartParkingBarrier } from '../smartparking/client';
import { stripeGateway } from '../stripe/gateway';
import { dunningWorkflow } from '../workflows';

export const dunningDeps: DunningDeps = {
  gateway: stripeGateway,
  payments: paymentStore,
  arrears: arrearsStore,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  users: userRepository,
  mailer: sesMailer,
  clock: systemClock,
  retryAfterDays: parseRetrySchedule(process.env[ENV.dunningRetryDays]),
  billingPageUrl: portalLinks(requireEnv(ENV.webBaseUrl)).billing,
};

/** The settlement consumer also stops the invoice's execution. */
export const settlementDeps = { ...dunningDeps, workflow: dunningWorkflow };
