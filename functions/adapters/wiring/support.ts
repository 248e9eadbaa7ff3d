/** Wiring for the contact form: DynamoDB and SES. */
import { systemClock } from '../../domain/clock';
import type { SupportDeps } from '../../domain/support';
import { ENV, requireEnv } from '../../environment';
import { carparkRepository } from '../dynamodb/repositories';
import { rateLimiter, supportTickets } from '../dynamodb/support-store';
import { sesMailer } from '../ses-mailer';

export const supportDeps = (): SupportDeps => ({
  carparks: carparkRepository,
  tickets: supportTickets,
  rateLimit: rateLimiter,
  mailer: sesMailer,
  platformSupportEmail: process.env[ENV.supportEmail] || requireEnv(ENV.senderEmail),
  clock: systemClock,
});
