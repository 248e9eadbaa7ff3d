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
import { assertStrongPassword, decoyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import type {
  EmailChangeStore,
  IssuedToken,
  Mailer,
  RateLimiter,
  OperatorRepository,
  PasswordResetStore,
  TokenIssuer,
  UserChanges,
  UserRepository,
} from './ports';
import { normaliseEmail, tokenVersionOf, toPublicUser, type PublicUser, type User } from './users';

/**
 * Login attempts allowed per 15-minute window, counted before the password is checked (so
 * concurrent guesses cannot slip past), successful ones included:
 * - per account and source address: 5. One source can lock an account out for itself only;
 * - per account from all sources: 50, so a guesser spread over many addresses still gets few
 *   guesses; reaching it takes ten sources and locks the account for the rest of the window;
 * - per source address across accounts: 100 failed ones, against spraying one password over many
 *   accounts (a successful login gives its hit back).
 * A successful login clears the account's counters; a completed password reset (or change)
 * starts them afresh, because they are keyed by when the password last changed.
 */
export const LOGIN_LIMITS = { perAccountAndSource: 5, perAccount: 50, perSource: 100, windowMs: 15 * 60 * 1000 } as const;
/** Kept for callers counting the window: a lock lasts until the window ends. */
export const LOGIN_MAX_FAILURES = LOGIN_LIMITS.perAccountAndSource;
export const LOGIN_LOCK_MS = LOGIN_LIMITS.windowMs;
/** Reset emails allowed per hour, per recipient address and per source address. */
export const FORGOT_PASSWORD_LIMITS = { perRecipient: 3, perSource: 10, windowMs: 60 * 60 * 1000 } as const;
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/** Where a request came from, as the platform trusts it (see functions/http/client-address.ts). */
export interface RequestSource {
  readonly ip: string;
}

/**
 * Counts one event against every limit at once; a TooManyRequestsError naming the longest wait
 * when any is exceeded. Counting happens first, whatever the outcome of what it guards.
 */
export async function enforceLimits(
  limiter: RateLimiter,
  now: Date,
  windowMs: number,
  limits: readonly { subject: string; max: number }[],
  message: string,
): Promise<void> {
  const counts = await Promise.all(limits.map((l) => limiter.hit(l.subject, now, windowMs)));
  const over = counts.filter((c, i) => c.count > limits[i]!.max);
  if (over.length === 0) return;
  const retryAfterSeconds = Math.max(...over.map((c) => Math.ceil((c.windowEndsAt - now.getTime()) / 1000)), 1);
  throw new TooManyRequestsError(message, retryAfterSeconds);
}

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
  readonly emailChanges: EmailChangeStore;
  readonly mailer: Mailer;
  /** The site's page that confirms a new email; the token is appended as `?token=`. */
  readonly verifyEmailPageUrl: string;
}

export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

export async function updateUser(
  deps: UpdateUserDeps,
  caller: Principal,
  userId: string,
  input: UpdateUserInput,
): Promise<PublicUser> {
  const user = await userVisibleTo(deps, caller, userId);
  const now = deps.clock.now().toISOString();
  const changes: { -readonly [K in keyof UserChanges]: UserChanges[K] } = { updatedAt: now };
  // An admin acting on someone else's account is the only caller who needs no current password.
  const adminForOther = isAdmin(caller) && caller.userId !== userId;
  const newEmail = input.email !== undefined && normaliseEmail(input.email) !== user.email ? normaliseEmail(input.email) : undefined;
  let endsSessions = false;

  if (input.name !== undefined) changes.name = input.name;
  if (input.phone !== undefined) changes.phone = input.phone ?? undefined;

  if ((input.password !== undefined || newEmail) && !adminForOther) {
    const what = input.password !== undefined ? 'set a new password' : 'change your email';
    if (!input.currentPassword) {
      throw new ValidationError(`Give your current password to ${what}.`, [
        { path: 'currentPassword', message: 'Required when changing the password or the email.' },
      ]);
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new ValidationError('The current password is not right.', [{ path: 'currentPassword', message: 'Does not match.' }]);
    }
  }

  if (input.password !== undefined) {
    assertStrongPassword(input.password, user.email);
    changes.passwordHash = await hashPassword(input.password);
    changes.passwordChangedAt = now;
    endsSessions = true;
  }

  if (newEmail) {
    if (await deps.users.findByEmail(newEmail)) throw emailTakenError();
    if (adminForOther) {
      changes.email = newEmail;
      endsSessions = true;
    }
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
    if (role !== user.role || changes.operatorId !== user.operatorId) endsSessions = true;
  }

  if (endsSessions) changes.tokenVersion = tokenVersionOf(user) + 1;
  const updated = await deps.users.update(user, changes);
  if (newEmail && !adminForOther) await requestEmailChange(deps, updated, newEmail);
  if (changes.email) await notifyEmailChanged(deps, user, changes.email);
  return toPublicUser(updated);
}

/**
 * The new address gets a link to confirm it (the login email changes only then); the old one is
 * told a change was asked for, so a stolen session cannot quietly move the account.
 */
async function requestEmailChange(deps: UpdateUserDeps, user: User, newEmail: string): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await deps.emailChanges.save({
    tokenHash: hashToken(token),
    userId: user.userId,
    newEmail,
    tokenVersion: tokenVersionOf(user),
    expiresAt: new Date(deps.clock.now().getTime() + EMAIL_CHANGE_TTL_MS).toISOString(),
  });
  const link = `${deps.verifyEmailPageUrl}?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: newEmail,
    subject: 'Confirm your new Carpark Tenancy email',
    text: `Hello ${user.name},\n\nUse this link within 24 hours to make ${newEmail} your login email:\n${link}\n\nIf you did not ask for this, ignore this email.`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>Use this link within 24 hours to make ${escapeHtml(newEmail)} your login email:</p><p><a href="${escapeHtml(link)}">Confirm my new email</a></p><p>If you did not ask for this, ignore this email.</p>`,
  });
  await deps.mailer.send({
    to: user.email,
    subject: 'A change of your Carpark Tenancy email was requested',
    text: `Hello ${user.name},\n\nSomeone signed in to your account asked to change its login email to ${newEmail}. It changes only when that address confirms it.\n\nIf this was not you, reset your password now: that also cancels the change.`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>Someone signed in to your account asked to change its login email to ${escapeHtml(newEmail)}. It changes only when that address confirms it.</p><p>If this was not you, reset your password now: that also cancels the change.</p>`,
  });
}

async function notifyEmailChanged(deps: Pick<UpdateUserDeps, 'mailer'>, before: User, newEmail: string): Promise<void> {
  await deps.mailer.send({
    to: before.email,
    subject: 'Your Carpark Tenancy email was changed',
    text: `Hello ${before.name},\n\nYour login email is now ${newEmail}. Everyone signed in to your account was signed out.\n\nIf this was not you, contact support at once.`,
    html: `<p>Hello ${escapeHtml(before.name)},</p><p>Your login email is now ${escapeHtml(newEmail)}. Everyone signed in to your account was signed out.</p><p>If this was not you, contact support at once.</p>`,
  });
}

const invalidEmailLink = () => new InvalidRequestError('invalid_token', 'This confirmation link is invalid, used or expired. Ask for the change again.');

/** The new address confirmed: the login email changes, every session ends, earlier reset links die. */
export async function confirmEmailChange(deps: UpdateUserDeps, input: { token: string }): Promise<void> {
  const request = await deps.emailChanges.get(hashToken(input.token));
  if (!request || Date.parse(request.expiresAt) <= deps.clock.now().getTime()) throw invalidEmailLink();
  const user = await deps.users.get(request.userId);
  if (!user || tokenVersionOf(user) !== request.tokenVersion) throw invalidEmailLink();
  if (!(await deps.emailChanges.take(request.tokenHash))) throw invalidEmailLink();
  await deps.users.update(user, { email: request.newEmail, tokenVersion: tokenVersionOf(user) + 1, updatedAt: deps.clock.now().toISOString() });
  await notifyEmailChanged(deps, user, request.newEmail);
}

// --- login -----------------------------------------------------------------------------------

export interface LoginDeps {
  readonly users: Pick<UserRepository, 'findByEmail' | 'update'>;
  readonly limits: RateLimiter;
  readonly tokens: TokenIssuer;
  readonly clock: Clock;
}

export interface LoginResult extends IssuedToken {
  readonly user: PublicUser;
}

const badCredentials = () => new UnauthenticatedError('The email or password is not right.');

/**
 * Attempts are counted (atomically, see LOGIN_LIMITS) before the password is checked, whether or
 * not an account exists for the email, and an unknown email costs the same hashing work: the
 * answer never tells whether an email is registered.
 */
export async function login(deps: LoginDeps, input: { email: string; password: string }, source: RequestSource): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const now = deps.clock.now();
  const user = await deps.users.findByEmail(email);
  const subjects = loginSubjects(email, user, source);
  await enforceLimits(
    deps.limits,
    now,
    LOGIN_LIMITS.windowMs,
    [
      { subject: subjects.accountAndSource, max: LOGIN_LIMITS.perAccountAndSource },
      { subject: subjects.account, max: LOGIN_LIMITS.perAccount },
      { subject: subjects.source, max: LOGIN_LIMITS.perSource },
    ],
    'Too many login attempts. Try again later.',
  );

  const passwordMatches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !passwordMatches) throw badCredentials();

  // Made with older (weaker) parameters: stored again with today's, the password now known.
  if (needsRehash(user.passwordHash)) {
    await deps.users.update(user, { passwordHash: await hashPassword(input.password), updatedAt: now.toISOString() });
  }
  // A successful login does not count against its source (many users behind one address).
  await Promise.all([deps.limits.clear(subjects.accountAndSource), deps.limits.clear(subjects.account), deps.limits.release(subjects.source, now)]);
  const issued = await deps.tokens.issue(
    { userId: user.userId, role: user.role, ...(user.operatorId ? { operatorId: user.operatorId } : {}) },
    tokenVersionOf(user),
  );
  return { ...issued, user: toPublicUser(user) };
}

/** Account counters are keyed by when the password last changed: a reset starts them afresh. */
function loginSubjects(email: string, user: User | undefined, source: RequestSource) {
  const account = `login#account#${email}#${user?.passwordChangedAt ?? '-'}`;
  return { account, accountAndSource: `${account}#${source.ip}`, source: `login#source#${source.ip}` };
}

// --- password reset --------------------------------------------------------------------------

export interface PasswordResetDeps extends AccountDeps {
  readonly resets: PasswordResetStore;
  readonly limits: RateLimiter;
  readonly mailer: Mailer;
  /** Where the reset page lives; the token is appended as `?token=`. */
  readonly resetPageUrl: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * Succeeds the same way for any email (only a registered one gets a message), within limits per
 * recipient and per source counted whether or not the email is registered, so a 429 tells
 * nothing about accounts either.
 */
export async function requestPasswordReset(deps: PasswordResetDeps, input: { email: string }, source: RequestSource): Promise<void> {
  const email = normaliseEmail(input.email);
  await enforceLimits(
    deps.limits,
    deps.clock.now(),
    FORGOT_PASSWORD_LIMITS.windowMs,
    [
      { subject: `forgot#recipient#${email}`, max: FORGOT_PASSWORD_LIMITS.perRecipient },
      { subject: `forgot#source#${source.ip}`, max: FORGOT_PASSWORD_LIMITS.perSource },
    ],
    'Too many reset requests. Check your inbox, or try again later.',
  );
  const user = await deps.users.findByEmail(email);
  if (!user) return;
  const now = deps.clock.now();
  // Only the hash is stored: a leaked table does not yield working reset links.
  const token = randomBytes(32).toString('base64url');
  await deps.resets.save({
    tokenHash: hashToken(token),
    userId: user.userId,
    tokenVersion: tokenVersionOf(user),
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
  // An email or role change since the link was sent voids it too.
  if (token.tokenVersion !== undefined && token.tokenVersion !== tokenVersionOf(user)) throw invalidToken();
  assertStrongPassword(input.password, user.email);
  const redeemed = await deps.resets.redeem({
    token,
    now,
    expectedPasswordChangedAt: user.passwordChangedAt,
    passwordHash: await hashPassword(input.password),
    tokenVersion: tokenVersionOf(user) + 1,
  });
  if (!redeemed) throw invalidToken();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export const emailTakenError = () => new ConflictError('email_taken', 'An account with this email already exists.');
