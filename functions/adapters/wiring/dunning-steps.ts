/**
 * Wiring for the dunning steps that never call Stripe (notices, settlement): DynamoDB,
 * SmartParking and SES, so that their bundles do not carry the Stripe SDK.
 */
import { systemClock } from '../../domain/clock';
import { portalLinks } from '../../domain/email-format';
import { parseRetrySchedule, type DunningStepDeps } from '../../domain/dunning';
import { ENV, requireEnv } from '../../environment';
import { arrearsStore } from '../dynamodb/arrears-store';
import { paymentStore } from '../dynamodb/payment-store';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { statsStore } from '../dynamodb/stats-store';
import { tenancyTimelineStore } from '../dynamodb/tenancy-timeline';
import { sesMailer } from '../ses-mailer';
import { smartParkingBarrier } from '../smartparking/client';

export const dunningStepDeps: DunningStepDeps = {
  payments: paymentStore,
  arrears: arrearsStore,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  users: userRepository,
  mailer: sesMailer,
  clock: systemClock,
  timeline: tenancyTimelineStore,
  stats: statsStore,
  retryAfterDays: parseRetrySchedule(process.env[ENV.dunningRetryDays]),
  billingPageUrl: portalLinks(requireEnv(ENV.webBaseUrl)).billing,
};
