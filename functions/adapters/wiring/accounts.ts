/** Wiring for the account routes: DynamoDB, SES and the JWT key only. */
import type { AccountDeps, LoginDeps, PasswordResetDeps, UpdateUserDeps } from '../../domain/accounts';
import { systemClock } from '../../domain/clock';
import { ENV, requireEnv } from '../../environment';
import { rateLimiter } from '../dynamodb/rate-limits';
import { emailChangeStore, operatorRepository, passwordResetStore, userRepository } from '../dynamodb/repositories';
import { sesMailer } from '../ses-mailer';
import { jwtTokenIssuer } from '../tokens';

export const accountDeps: AccountDeps = {
  users: userRepository,
  clock: systemClock,
};

const pageUrl = (page: string) => `${requireEnv(ENV.webBaseUrl).replace(/\/$/, '')}/${page}`;

export const updateUserDeps = (): UpdateUserDeps => ({
  ...accountDeps,
  operators: operatorRepository,
  emailChanges: emailChangeStore,
  mailer: sesMailer,
  verifyEmailPageUrl: pageUrl('verify-email'),
});

export const loginDeps: LoginDeps = { users: userRepository, limits: rateLimiter, tokens: jwtTokenIssuer, clock: systemClock };

export const passwordResetDeps = (): PasswordResetDeps => ({
  users: userRepository,
  resets: passwordResetStore,
  limits: rateLimiter,
  mailer: sesMailer,
  clock: systemClock,
  resetPageUrl: `${requireEnv(ENV.webBaseUrl).replace(/\/$/, '')}/reset-password`,
});
