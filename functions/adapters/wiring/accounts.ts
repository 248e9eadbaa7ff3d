/** Wiring for the account routes: DynamoDB, SES and the JWT key only. */
import type { AccountDeps, LoginDeps, PasswordResetDeps, UpdateUserDeps } from '../../domain/accounts';
import { systemClock } from '../../domain/clock';
import { ENV, requireEnv } from '../../environment';
import { loginThrottleStore, operatorRepository, passwordResetStore, userRepository } from '../dynamodb/repositories';
import { sesMailer } from '../ses-mailer';
import { jwtTokenIssuer } from '../tokens';

export const accountDeps: UpdateUserDeps & AccountDeps = {
  users: userRepository,
  operators: operatorRepository,
  clock: systemClock,
};

export const loginDeps: LoginDeps = { throttle: loginThrottleStore, tokens: jwtTokenIssuer, clock: systemClock };

export const passwordResetDeps = (): PasswordResetDeps => ({
  users: userRepository,
  resets: passwordResetStore,
  mailer: sesMailer,
  clock: systemClock,
  resetPageUrl: `${requireEnv(ENV.webBaseUrl).replace(/\/$/, '')}/reset-password`,
});
