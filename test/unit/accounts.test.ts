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
import type { EmailChangeRequest, OperatorRepository } from '../../functions/domain/ports';
import { FakeClock, fakeMailer, fakeResets, fakeLimiter, fakeTokens, fakeUsers } from './fakes';

const PASSWORD = 'correct-horse-42';
const HOME = { ip: '198.51.100.1' };
const STRANGER = { ip: '203.0.113.9' };

function setup() {
  const clock = new FakeClock();
  const users = fakeUsers();
  const limits = fakeLimiter();
  const resets = fakeResets(users);
  const mailer = fakeMailer();
  const operators: Pick<OperatorRepository, 'get'> = {
    get: async (id) => (id === 'op_1' ? { operatorId: 'op_1', name: 'Op', contactEmail: 'o@x.io', createdAt: '' } : undefined),
  };
  return {
    clock,
    users,
    limits,
    resets,
    mailer,
    accountDeps: {
      users,
      clock,
      operators,
      mailer,
      verifyEmailPageUrl: 'https://web.example/verify-email',
      emailChanges: {
        all: new Map<string, EmailChangeRequest>(),
        async save(r: EmailChangeRequest) {
          this.all.set(r.tokenHash, r);
        },
        async get(hash: string) {
          return this.all.get(hash);
        },
        async take(hash: string) {
          return this.all.delete(hash);
        },
      },
    },
    loginDeps: { users, limits, tokens: fakeTokens, clock },
    resetDeps: { users, resets, limits, mailer, clock, resetPageUrl: 'https://web.example/reset-password' },
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
    await expect(login(env.loginDeps, { email: 'sam@example.com', password: 'another-pass-77' }, HOME)).resolves.toHaveProperty('token');
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
  const attempt = (email: string, password: string, from = HOME) => login(env.loginDeps, { email, password }, from);

  it('issues a token for the right password', async () => {
    const sam = await signUpSam();
    await expect(attempt('SAM@example.com', PASSWORD)).resolves.toMatchObject({ token: `token-for-${sam.userId}` });
  });

  it('locks for 15 minutes after 5 attempts, then lets the right password in', async () => {
    await signUpSam();
    for (let i = 0; i < 5; i++) await expect(attempt('sam@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(UnauthenticatedError);

    const locked = await attempt('sam@example.com', PASSWORD).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TooManyRequestsError);
    expect((locked as TooManyRequestsError).retryAfterSeconds).toBe(15 * 60);

    env.clock.advance(LOGIN_LOCK_MS);
    await expect(attempt('sam@example.com', PASSWORD)).resolves.toHaveProperty('token');
  });

  it('counts the attempt before checking the password: concurrent guesses get five checks, not more', async () => {
    await signUpSam();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => attempt('sam@example.com', PASSWORD)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyRequestsError)).toHaveLength(15);
  });

  it("locks a stranger's source out, not the account's owner from elsewhere", async () => {
    await signUpSam();
    for (let i = 0; i < 6; i++) await attempt('sam@example.com', 'wrong-pass-1', STRANGER).catch(() => undefined);
    await expect(attempt('sam@example.com', PASSWORD, STRANGER)).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(attempt('sam@example.com', PASSWORD, HOME)).resolves.toHaveProperty('token');
  });

  it('locks the account everywhere once many sources guess, until a completed reset lifts it', { timeout: 120_000 }, async () => {
    await signUpSam();
    for (let source = 0; source < 10; source++) {
      for (let i = 0; i < 5; i++) await attempt('sam@example.com', 'wrong-pass-1', { ip: `203.0.113.${source}` }).catch(() => undefined);
    }
    await expect(attempt('sam@example.com', PASSWORD, HOME)).rejects.toBeInstanceOf(TooManyRequestsError);

    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(env.mailer.sent.at(-1)!.text)![1]!);
    env.clock.advance(1000);
    await resetPassword(env.resetDeps, { token, password: 'brand-new-pass-9' });
    await expect(attempt('sam@example.com', 'brand-new-pass-9', HOME)).resolves.toHaveProperty('token');
  });

  it('locks an unknown email the same way, so lock-outs do not reveal accounts', async () => {
    for (let i = 0; i < 5; i++) await expect(attempt('nobody@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(attempt('nobody@example.com', 'wrong-pass-1')).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('forgets attempts older than the window', async () => {
    await signUpSam();
    for (let i = 0; i < 5; i++) await attempt('sam@example.com', 'wrong-pass-1').catch(() => undefined);
    env.clock.advance(LOGIN_LOCK_MS + 1);
    await expect(attempt('sam@example.com', PASSWORD)).resolves.toHaveProperty('token');
  });
});

describe('forgot password', () => {
  it('sends at most three reset emails an hour to one address, whoever asks', async () => {
    await signUpSam();
    for (let i = 0; i < 3; i++) await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, { ip: `203.0.113.${i}` });
    await expect(requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, { ip: '203.0.113.99' })).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(env.mailer.sent).toHaveLength(3);
    env.clock.advance(60 * 60 * 1000);
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    expect(env.mailer.sent).toHaveLength(4);
  });

  it('limits one source across addresses, registered or not', async () => {
    for (let i = 0; i < 10; i++) await requestPasswordReset(env.resetDeps, { email: `someone${i}@example.com` }, STRANGER);
    await expect(requestPasswordReset(env.resetDeps, { email: 'other@example.com' }, STRANGER)).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});

describe('password reset', () => {
  const tokenFromEmail = () => {
    const text = env.mailer.sent.at(-1)?.text ?? '';
    return decodeURIComponent(/token=([^\s]+)/.exec(text)?.[1] ?? '');
  };

  it('emails a link only when the account exists', async () => {
    await requestPasswordReset(env.resetDeps, { email: 'nobody@example.com' }, HOME);
    expect(env.mailer.sent).toHaveLength(0);
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'SAM@example.com' }, HOME);
    expect(env.mailer.sent).toHaveLength(1);
    expect(env.mailer.sent[0]!.text).toContain('https://web.example/reset-password?token=');
    // The stored token is a hash, not the token in the link.
    expect([...env.resets.all.keys()]).not.toContain(tokenFromEmail());
  });

  it('sets the new password once; the same link then fails', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    const token = tokenFromEmail();
    env.clock.advance(1000);
    await resetPassword(env.resetDeps, { token, password: 'brand-new-pass-9' });
    await expect(login(env.loginDeps, { email: 'sam@example.com', password: 'brand-new-pass-9' }, HOME)).resolves.toHaveProperty('token');
    await expect(resetPassword(env.resetDeps, { token, password: 'again-new-pass-9' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('refuses a link after one hour', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    env.clock.advance(60 * 60 * 1000);
    await expect(resetPassword(env.resetDeps, { token: tokenFromEmail(), password: 'brand-new-pass-9' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('kills older links once the password has been reset', async () => {
    await signUpSam();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    const first = tokenFromEmail();
    await requestPasswordReset(env.resetDeps, { email: 'sam@example.com' }, HOME);
    const second = tokenFromEmail();
    env.clock.advance(1000);
    await resetPassword(env.resetDeps, { token: second, password: 'brand-new-pass-9' });
    await expect(resetPassword(env.resetDeps, { token: first, password: 'other-new-pass-9' })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
