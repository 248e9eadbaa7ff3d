/** Wiring for operator onboarding: DynamoDB and SES; approval also Stripe (the first car park's prices). */
import { systemClock } from '../../domain/clock';
import type { ApplyDeps, ApproveDeps, DecideDeps } from '../../domain/operator-applications';
import { ENV, requireEnv } from '../../environment';
import { operatorApplicationStore } from '../dynamodb/operator-applications';
import { rateLimiter } from '../dynamodb/rate-limits';
import { userRepository } from '../dynamodb/repositories';
import { sesMailer } from '../ses-mailer';
import { carparkWriteDeps } from './carpark-writes';

const pageUrl = (page: string) => `${requireEnv(ENV.webBaseUrl).replace(/\/$/, '')}/${page}`;

export const applicationReads = { applications: operatorApplicationStore };

export const applyDeps = (): ApplyDeps => ({
  applications: operatorApplicationStore,
  users: userRepository,
  limits: rateLimiter,
  mailer: sesMailer,
  pageUrl,
  adminAlertEmail: requireEnv(ENV.adminAlertEmail),
  clock: systemClock,
});

export const decideDeps = (): DecideDeps => ({ applications: operatorApplicationStore, mailer: sesMailer, pageUrl, clock: systemClock });

export const approveDeps = (): ApproveDeps => ({ ...carparkWriteDeps, ...decideDeps(), users: userRepository });
