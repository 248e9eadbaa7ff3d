import { beforeEach, describe, expect, it } from 'vitest';
import {
  LOGIN_LOCK_MS,
  getUser,
  login,
  requestPasswordReset,
  resetPassword,
  signUp,
  updateUser,
} from '../../functions/domain/accounts';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../../functions/domain/errors';
import type { OperatorRepository } from '../../functions/domain/ports';
import { FakeClock, fakeMailer, fakeResets, fakeThrottle, fakeTokens, fakeUsers } from './fakes';

const PASSWORD = 'correct-horse-42';

function setup() {
  const clock = new FakeClock();
  const users = fakeUsers();
  const throttle = fakeThrottle(users);
  const resets = fakeResets(users);
  const mailer = fakeMailer();
  const operators: Pick<OperatorRepository, 'get'> = {
    get: async (id) => (id === 'op_1' ? { operatorId: 'op_1', name: 'Op', contactEmail: 'o@x.io', createdAt: '' } : undefined),
  };
  return {
    clock,
    users,
    throttle,
    resets,
    mailer,
    accountDeps: { users, clock, operators },
    loginDeps: { throttle, tokens: fakeTokens, clock },
    resetDeps: { users, resets, mailer, clock, resetPageUrl: 'https://web.example/reset-password' },
  };
}

let env: ReturnType<typeof setup>;
beforeEach(() => {
  env = setup();
});

const signUpSam = () =>
  signUp(env.accountDeps, { email: ' Sam@Example.com ', password: PASSWORD, name: 'Sam', accountType: 'individual' });

describe('sign-up', () => {
  it('creates a tenant with a normalised email and never exposes the hash', async () => {
    const user = await signUpSam();
    expect(user).toMatchObject({ email: 'sam@example.com', role: 'tenant', accountType: 'individual' });
    expect(user).not.toHaveProperty('passwordHash');
  });

  it('refuses an email registered in another case', async () => {
    await signUpSam();
    await expect(
      signUp(env.accountDeps, { email: 'SAM@example.com', password: PASSWORD, name: 'Other', accountType: 'individual' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a weak password with the reasons', async () => {
    await expect(
      signUp(env.accountDeps, { email: 'a@b.io', password: 'weak', name: 'A', accountType: 'individual' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('reading and changing a user', () => {
  it('hides a user from other tenants as not found', async () => {
    const sam = await signUpSam();
    await expect(getUser(env.accountDeps, { userId: 'usr_other', role: 'tenant' }, sam.userId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getUser(env.accountDeps, { userId: 'usr_admin', role: 'admin' }, sam.userId)).resolves.toMatchObject({ userId: sam.userId });
  });

  it('needs the current password to set a new one', async () => {
    const sam = await signUpSam();
    const self = { userId: sam.userId, role: 'tenant' as const };
    await expect(updateUser(env.accountDeps, self, sam.userId, { password: 'another-pass-77' })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      updateUser(env.accountDeps, self, sam.userId, { password: 'another-pass-77', currentPassword: 'wrong-pass-11' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await updateUser(env.accountDeps, self, sam.userId, { password: 'another-pass-77', currentPassword: PASSWORD });
    await expect(login(env.loginDeps, { email: 'sam@example.com', password: 'another-pass-77' })).resolves.toHaveProperty('token');
  });

  it('lets only admins change roles, and an operator needs an existing operator', async () => {
    const sam = await signUpSam();
    const admin = { userId: 'usr_admin', role: 'admin' as const };
    await expect(
      updateUser(env.accountDeps, { userId: sam.userId, role: 'tenant' }, sam.userId, { role: 'admin' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateUser(env.accountDeps, admin, sam.userId, { role: 'operator' })).rejects.toBeInstanceOf(ValidationError);
    await expect(updateUser(env.accountDeps, admin, sam.userId, { role: 'operator', operatorId: 'op_9' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateUser(env.accountDeps, admin, sam.userId, { role: 'operator', operatorId: 'op_1' })).resolves.toMatchObject({
      role: 'operator',
      operatorId: 'op_1',
    });
    // Back to tenant drops the operator link.
    const back = await updateUser(env.accountDeps, admin, sam.userId, { role: 'tenant' });
    expect(back).not.toHaveProperty('operatorId');
  });
});

describe('login lock-out', () => {
  const attempt = (email: string, password: string) => login(env.loginDeps, { email, password });

  it('issues a token for the right password', async () => {
    const sam = await signUpSam();
    await expect(attempt('SAM@example.com', PASSWORD)).resolves.toMatchObject({ token: `token-for-${sam.userId}` });
  });

  it('locks for 15 minutes after 5 failures, then lets the right password in', async () => {
    await signUpSam();
    for (let i = 0; i < 5; i++) await expect(attempt('sam@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(UnauthenticatedError);

    const locked = await attempt('sam@example.com', PASSWORD).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TooManyRequestsError);
    expect((locked as TooManyRequestsError).retryAfterSeconds).toBe(15 * 60);

    env.clock.advance(LOGIN_LOCK_MS);
    await expect(attempt('sam@example.com', PASSWORD)).resolves.toHaveProperty('token');
    expect(env.throttle.state.has('sam@example.com')).toBe(false);
  });

  it('locks an unknown email the same way, so lock-outs do not reveal accounts', async () => {
    for (let i = 0; i < 5; i++) await expect(attempt('nobody@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(attempt('nobody@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('forgets failures older than the window', async () => {
    await signUpSam();
    for (let i = 0; i < 4; i++) await attempt('sam@example.com', 'wrong-pass-1').catch(() => undefined);
    env.clock.advance(LOGIN_LOCK_MS + 1);
    await attempt('sam@example.com', 'wrong-pass-1').catch(() => undefined);
    expect(env.throttle.state.get('sam@example.com')?.failures).toBe(1);
  });
});

describe('password reset', () => {
  const tokenFromEmail = () => {
    const text = env.mailer.sent.at(-1)?.text ?? '';
    return decodeURIComponent(/token=([^\s]+)/.exec(text)?.[1] ?? '');
  };

  it('emails a link only when the account exists', async () => {
    await requestPasswordReset(env.resetDeps, { email: 'nobody@example.com' });
    expect(env.mailer.sent).toHaveLength(0);
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'SAM@example.com' });
    expect(env.mailer.sent).toHaveLength(1);
    expect(env.mailer.sent[0]!.text).toContain('https://web.example/reset-password?token=');
    // The stored token is a hash, not the token in the link.
    expect([...env.resets.all.keys()]).not.toContain(tokenFromEmail());
  });

  it('sets the new password once; the same link then fails', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' });
    const token = tokenFromEmail();
    env.clock.advance(1000);
    await resetPassword(env.resetDeps, { token, password: 'brand-new-pass-9' });
    await expect(login(env.loginDeps, { email: 'sam@example.com', password: 'brand-new-pass-9' })).resolves.toHaveProperty('token');
    await expect(resetPassword(env.resetDeps, { token, password: 'again-new-pass-9' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('refuses a link after one hour', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' });
    env.clock.advance(60 * 60 * 1000);
    await expect(resetPassword(env.resetDeps, { token: tokenFromEmail(), password: 'brand-new-pass-9' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('kills older links once the password has been reset', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' });
    const first = tokenFromEmail();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' });
    const second = tokenFromEmail();
    env.clock.advance(1000);
    await resetPassword(env.resetDeps, { token: second, password: 'brand-new-pass-9' });
    await expect(resetPassword(env.resetDeps, { token: first, password: 'other-new-pass-9' })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
