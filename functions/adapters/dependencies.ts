/**
 * The production wiring of the domain's ports. Handlers take what they need from here; tests
 * can call the use cases with other implementations.
 */
import type { AccountDeps, LoginDeps, PasswordResetDeps, UpdateUserDeps } from '../domain/accounts';
import type { CarparkDeps } from '../domain/carpark-admin';
import { systemClock } from '../domain/clock';
import { ENV, requireEnv } from '../environment';
import {
  carparkRepository,
  loginThrottleStore,
  operatorRepository,
  passwordResetStore,
  userRepository,
} from './dynamodb/repositories';
import { sesMailer } from './ses-mailer';
import { jwtTokenIssuer } from './tokens';

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

export const carparkDeps: CarparkDeps = {
  operators: operatorRepository,
  carparks: carparkRepository,
  clock: systemClock,
};
