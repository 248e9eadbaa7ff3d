/** Wiring for the paid-invoice consumer: DynamoDB, SES and Stripe (the invoice is re-read). */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import { ENV, requireEnv } from '../../environment';
import type { PaymentDeps, SubscriptionEndDeps } from '../../domain/payments';
import { billingRepository } from '../dynamodb/billing-repository';
import { smartParkingBarrier } from '../smartparking/client';
import { spaceReleasesOnTheBus } from '../space-releases';
import { paymentStore } from '../dynamodb/payment-store';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { statsStore } from '../dynamodb/stats-store';
import { tenancyTimelineStore } from '../dynamodb/tenancy-timeline';
import { sesMailer } from '../ses-mailer';
import { stripeGateway } from '../stripe/gateway';

export const paymentDeps: PaymentDeps = {
  payments: paymentStore,
  invoices: stripeGateway,
  users: userRepository,
  tenancies: tenancyRepository,
  timeline: tenancyTimelineStore,
  stats: statsStore,
  carparks: carparkRepository,
  mailer: sesMailer,
  clock: systemClock,
  get links() {
    return portalLinks(requireEnv(ENV.webBaseUrl));
  },
};

export const subscriptionEndDeps: SubscriptionEndDeps = {
  payments: paymentStore,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  billing: billingRepository,
  subscriptions: stripeGateway,
  clock: systemClock,
  spaces: spaceReleasesOnTheBus,
};
