/**
 * Account use cases: sign-up, profile, login with lock-out, password reset.
 * Knows nothing of HTTP or Lambda; everything external comes in through `AccountDeps`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from './errors';
import { canActOnUser, isAdmin, type AccountType, type Principal, type Role } from './identity';
import { newId } from './ids';
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import type {
  IssuedToken,
  LoginThrottleStore,
  Mailer,
  OperatorRepository,
  PasswordResetStore,
  TokenIssuer,
  UserChanges,
  UserRepository,
} from './ports';
import { normaliseEmail, toPublicUser, type PublicUser, type User } from './users';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface AccountDeps {
  readonly users: UserRepository;
  readonly clock: Clock;
}

// --- sign-up and profile ---------------------------------------------------------------------

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly phone?: string;
  readonly accountType: AccountType;
}

/** Anyone may sign up, always as a tenant; operators and admins are appointed by an admin. */
export async function signUp(deps: AccountDeps, input: SignUpInput): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  assertStrongPassword(input.password, email);
  const now = deps.clock.now().toISOString();
  const user: User = {
    userId: newId('usr'),
    email,
    name: input.name,
    ...(input.phone ? { phone: input.phone } : {}),
    role: 'tenant',
    accountType: input.accountType,
    passwordHash: await hashPassword(input.password),
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
  };
  await deps.users.create(user);
  return toPublicUser(user);
}

/** Self or admin; anyone else gets the same 404 as for a user that does not exist. */
async function userVisibleTo(deps: AccountDeps, caller: Principal, userId: string): Promise<User> {
  const user = canActOnUser(caller, userId) ? await deps.users.get(userId) : undefined;
  if (!user) throw new NotFoundError('User');
  return user;
}

export async function getUser(deps: AccountDeps, caller: Principal, userId: string): Promise<PublicUser> {
  return toPublicUser(await userVisibleTo(deps, caller, userId));
}

export interface UpdateUserInput {
  readonly name?: string;
  readonly phone?: string | null;
  readonly email?: string;
  readonly password?: string;
  readonly currentPassword?: string;
  readonly role?: Role;
  readonly operatorId?: string | null;
}

export interface UpdateUserDeps extends AccountDeps {
  readonly operators: Pick<OperatorRepository, 'get'>;
}

export async function updateUser(
  deps: UpdateUserDeps,
  caller: Principal,
  userId: string,
  input: UpdateUserInput,
): Promise<PublicUser> {
  const user = await userVisibleTo(deps, caller, userId);
  const now = deps.clock.now().toISOString();
  const changes: { -readonly [K in keyof UserChanges]: UserChanges[K] } = { updatedAt: now };

  if (input.name !== undefined) changes.name = input.name;
  if (input.phone !== undefined) changes.phone = input.phone ?? undefined;
  if (input.email !== undefined) changes.email = normaliseEmail(input.email);

  if (input.password !== undefined) {
    // An admin resetting someone else's password is the only change without the current one.
    const adminForOther = isAdmin(caller) && caller.userId !== userId;
    if (!adminForOther) {
      if (!input.currentPassword) {
        throw new ValidationError('Give your current password to set a new one.', [
          { path: 'currentPassword', message: 'Required when changing the password.' },
        ]);
      }
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw new ValidationError('The current password is not right.', [
          { path: 'currentPassword', message: 'Does not match.' },
        ]);
      }
    }
    assertStrongPassword(input.password, changes.email ?? user.email);
    changes.passwordHash = await hashPassword(input.password);
    changes.passwordChangedAt = now;
  }

  if (input.role !== undefined || input.operatorId !== undefined) {
    if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can change roles.');
    const role = input.role ?? user.role;
    const operatorId = input.operatorId === undefined ? user.operatorId : (input.operatorId ?? undefined);
    if (role === 'operator') {
      if (!operatorId) {
        throw new ValidationError('An operator user needs an operator.', [
          { path: 'operatorId', message: 'Required for role operator.' },
        ]);
      }
      if (!(await deps.operators.get(operatorId))) throw new NotFoundError('Operator');
    }
    changes.role = role;
    changes.operatorId = role === 'operator' ? operatorId : undefined;
  }

  return toPublicUser(await deps.users.update(user, changes));
}

// --- login -----------------------------------------------------------------------------------

export interface LoginDeps {
  readonly throttle: LoginThrottleStore;
  readonly tokens: TokenIssuer;
  readonly clock: Clock;
}

export interface LoginResult extends IssuedToken {
  readonly user: PublicUser;
}

const badCredentials = () => new UnauthenticatedError('The email or password is not right.');

/**
 * Five failures within the lock window lock the email for 15 minutes, whether or not an account
 * exists for it, and an unknown email costs the same hashing work: the answer never tells
 * whether an email is registered.
 */
export async function login(deps: LoginDeps, input: { email: string; password: string }): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const now = deps.clock.now();
  const { user, throttle } = await deps.throttle.findLoginState(email);

  if (throttle && throttle.lockedUntil > now.getTime()) {
    const retryAfterSeconds = Math.ceil((throttle.lockedUntil - now.getTime()) / 1000);
    throw new TooManyRequestsError('Too many failed logins. Try again later.', retryAfterSeconds);
  }

  const passwordMatches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !passwordMatches) {
    const after = await deps.throttle.recordFailure(email, now, LOGIN_LOCK_MS);
    if (after.failures >= LOGIN_MAX_FAILURES) await deps.throttle.lock(email, new Date(now.getTime() + LOGIN_LOCK_MS));
    throw badCredentials();
  }

  if (throttle) await deps.throttle.clear(email);
  const issued = await deps.tokens.issue({
    userId: user.userId,
    role: user.role,
    ...(user.operatorId ? { operatorId: user.operatorId } : {}),
  });
  return { ...issued, user: toPublicUser(user) };
}

// --- password reset --------------------------------------------------------------------------

export interface PasswordResetDeps extends AccountDeps {
  readonly resets: PasswordResetStore;
  readonly mailer: Mailer;
  /** Where the reset page lives; the token is appended as `?token=`. */
  readonly resetPageUrl: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Always succeeds from the caller's view; only a registered email gets a message. */
export async function requestPasswordReset(deps: PasswordResetDeps, input: { email: string }): Promise<void> {
  const user = await deps.users.findByEmail(normaliseEmail(input.email));
  if (!user) return;
  const now = deps.clock.now();
  // Only the hash is stored: a leaked table does not yield working reset links.
  const token = randomBytes(32).toString('base64url');
  await deps.resets.save({
    tokenHash: hashToken(token),
    userId: user.userId,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS).toISOString(),
  });
  const link = `${deps.resetPageUrl}?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: user.email,
    subject: 'Reset your Carpark Tenancy password',
    text: `Hello ${user.name},\n\nUse this link within one hour to choose a new password:\n${link}\n\nIf you did not ask for this, ignore this email; your password stays as it is.`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>Use this link within one hour to choose a new password:</p><p><a href="${escapeHtml(link)}">Reset my password</a></p><p>If you did not ask for this, ignore this email; your password stays as it is.</p>`,
  });
}

const invalidToken = () => new InvalidRequestError('invalid_token', 'This reset link is invalid, used or expired. Ask for a new one.');

export async function resetPassword(deps: PasswordResetDeps, input: { token: string; password: string }): Promise<void> {
  const now = deps.clock.now();
  const token = await deps.resets.get(hashToken(input.token));
  if (!token || Date.parse(token.expiresAt) <= now.getTime()) throw invalidToken();
  const user = await deps.users.get(token.userId);
  // A link older than the last password change is dead, even inside its hour.
  if (!user || Date.parse(token.issuedAt) < Date.parse(user.passwordChangedAt)) throw invalidToken();
  assertStrongPassword(input.password, user.email);
  const redeemed = await deps.resets.redeem({
    token,
    now,
    expectedPasswordChangedAt: user.passwordChangedAt,
    passwordHash: await hashPassword(input.password),
  });
  if (!redeemed) throw invalidToken();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export const emailTakenError = () => new ConflictError('email_taken', 'An account with this email already exists.');
