/** In-memory ports for fast use-case tests; the DynamoDB adapters are tested in integration. */
import { emailTakenError } from '../../functions/domain/accounts';
import type { Clock } from '../../functions/domain/clock';
import type {
  EmailMessage,
  Mailer,
  PasswordResetStore,
  PasswordResetToken,
  RateLimiter,
  TokenIssuer,
  UserRepository,
} from '../../functions/domain/ports';
import type { User } from '../../functions/domain/users';
import type { CollectibleInvoice } from '../../functions/domain/billing';

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

/** Fixed windows in memory; like the DynamoDB one, every hit counts, in order. */
export function fakeLimiter(): RateLimiter & { state: Map<string, { count: number; windowEndsAt: number }> } {
  const state = new Map<string, { count: number; windowEndsAt: number }>();
  return {
    state,
    async hit(subject, now, windowMs) {
      const open = state.get(subject);
      const next = open && open.windowEndsAt > now.getTime() ? { ...open, count: open.count + 1 } : { count: 1, windowEndsAt: now.getTime() + windowMs };
      state.set(subject, next);
      return next;
    },
    async clear(subject) {
      state.delete(subject);
    },
    async release(subject, now) {
      const open = state.get(subject);
      if (open && open.windowEndsAt > now.getTime() && open.count > 0) state.set(subject, { ...open, count: open.count - 1 });
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
    async redeem({ token, now, expectedPasswordChangedAt, passwordHash, tokenVersion }) {
      const stored = all.get(token.tokenHash);
      const user = users.all.get(token.userId);
      if (!stored || Date.parse(stored.expiresAt) <= now.getTime()) return false;
      if (!user || user.passwordChangedAt !== expectedPasswordChangedAt) return false;
      all.delete(token.tokenHash);
      users.all.set(user.userId, { ...user, passwordHash, passwordChangedAt: now.toISOString(), tokenVersion });
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

/** An open invoice of tenant `usr_a` (customer `cus_a`), as the payment gateway reads it. */
export const OPEN_INVOICE: CollectibleInvoice = {
  invoiceId: 'in_1',
  customerId: 'cus_a',
  number: 'A-0002',
  status: 'open',
  amountDue: 10_000,
  amountRemaining: 10_000,
  currency: 'gbp',
  hostedInvoiceUrl: null,
  dueSince: '2026-12-01T00:00:00.000Z',
};
