/** In-memory ports for fast use-case tests; the DynamoDB adapters are tested in integration. */
import { emailTakenError } from '../../functions/domain/accounts';
import type { Clock } from '../../functions/domain/clock';
import type {
  EmailMessage,
  LoginThrottle,
  LoginThrottleStore,
  Mailer,
  PasswordResetStore,
  PasswordResetToken,
  TokenIssuer,
  UserRepository,
} from '../../functions/domain/ports';
import type { User } from '../../functions/domain/users';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-11-24T09:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function fakeUsers(): UserRepository & { all: Map<string, User> } {
  const all = new Map<string, User>();
  return {
    all,
    async create(user) {
      if ([...all.values()].some((u) => u.email === user.email)) throw emailTakenError();
      all.set(user.userId, user);
    },
    async get(id) {
      return all.get(id);
    },
    async findByEmail(email) {
      return [...all.values()].find((u) => u.email === email);
    },
    async update(current, changes) {
      const next = Object.fromEntries(Object.entries({ ...current, ...changes }).filter(([, v]) => v !== undefined)) as unknown as User;
      all.set(current.userId, next);
      return next;
    },
  };
}

export function fakeThrottle(users: UserRepository): LoginThrottleStore & { state: Map<string, LoginThrottle> } {
  const state = new Map<string, LoginThrottle>();
  return {
    state,
    async findLoginState(email) {
      const user = await users.findByEmail(email);
      const throttle = state.get(email);
      return { ...(user ? { user } : {}), ...(throttle ? { throttle } : {}) };
    },
    async recordFailure(email, now, windowMs) {
      const t = state.get(email);
      const next =
        t && t.windowStartedAt > now.getTime() - windowMs
          ? { ...t, failures: t.failures + 1 }
          : { failures: 1, windowStartedAt: now.getTime(), lockedUntil: t?.lockedUntil ?? 0 };
      state.set(email, next);
      return next;
    },
    async lock(email, until) {
      const t = state.get(email)!;
      state.set(email, { ...t, failures: 0, lockedUntil: until.getTime() });
    },
    async clear(email) {
      state.delete(email);
    },
  };
}

export function fakeResets(users: ReturnType<typeof fakeUsers>): PasswordResetStore & { all: Map<string, PasswordResetToken> } {
  const all = new Map<string, PasswordResetToken>();
  return {
    all,
    async save(token) {
      all.set(token.tokenHash, token);
    },
    async get(hash) {
      return all.get(hash);
    },
    async redeem({ token, now, expectedPasswordChangedAt, passwordHash }) {
      const stored = all.get(token.tokenHash);
      const user = users.all.get(token.userId);
      if (!stored || Date.parse(stored.expiresAt) <= now.getTime()) return false;
      if (!user || user.passwordChangedAt !== expectedPasswordChangedAt) return false;
      all.delete(token.tokenHash);
      users.all.set(user.userId, { ...user, passwordHash, passwordChangedAt: now.toISOString() });
      return true;
    },
  };
}

export function fakeMailer(): Mailer & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}

export const fakeTokens: TokenIssuer = {
  async issue(principal) {
    return { token: `token-for-${principal.userId}`, expiresAt: '2026-11-24T10:00:00.000Z' };
  },
};
