/**
 * What the domain needs from the outside world. Adapters (functions/adapters) implement these
 * over DynamoDB, SES and Secrets Manager; tests may implement them in memory.
 */
import type { Carpark } from './carparks';
import type { Principal } from './identity';
import type { Operator } from './operators';
import type { User } from './users';

export interface Page<T> {
  readonly items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

/**
 * Fixed-window counters, counted atomically: `hit` adds one to the subject's current window (or
 * starts a new one) in conditional writes only, so concurrent hits are never lost and never let
 * through more than the limit checked against the returned count.
 */
export interface RateLimiter {
  /** Counts one event for `subject`; returns the count in the window including it, and when the window ends (epoch ms). */
  hit(subject: string, now: Date, windowMs: number): Promise<{ count: number; windowEndsAt: number }>;
  /** Forgets the subject's window. */
  clear(subject: string): Promise<void>;
  /** Gives back one hit counted in the still-open window (an event that turned out not to count). */
  release(subject: string, now: Date): Promise<void>;
}

export type UserChanges = Partial<Pick<User, 'name' | 'phone' | 'email' | 'role' | 'operatorId' | 'passwordHash' | 'passwordChangedAt' | 'tokenVersion'>> & {
  readonly updatedAt: string;
};

export interface UserRepository {
  /** Fails with ConflictError `email_taken` when the email is already registered. */
  create(user: User): Promise<void>;
  get(userId: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /**
   * Applies changes; when the email changes, moves the uniqueness claim atomically (ConflictError
   * `email_taken` if the new one is registered). Fails with NotFoundError if the user is gone.
   */
  update(current: User, changes: UserChanges): Promise<User>;
}

export interface PasswordResetToken {
  readonly tokenHash: string;
  readonly userId: string;
  /** The user's token version when the link was sent: any session-ending change since voids it. */
  readonly tokenVersion?: number;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

export interface PasswordResetStore {
  save(token: PasswordResetToken): Promise<void>;
  get(tokenHash: string): Promise<PasswordResetToken | undefined>;
  /**
   * Atomically: delete the token (only if still unexpired at `now`) and set the user's password
   * (only if it has not changed since `expectedPasswordChangedAt`). False if either check fails.
   */
  redeem(args: {
    token: PasswordResetToken;
    now: Date;
    expectedPasswordChangedAt: string;
    passwordHash: string;
    /** The user's new token version: a reset ends every session. */
    tokenVersion: number;
  }): Promise<boolean>;
}

/** A requested change of login email, waiting for the new address to be confirmed. */
export interface EmailChangeRequest {
  readonly tokenHash: string;
  readonly userId: string;
  readonly newEmail: string;
  /** The user's token version when asked: a session-ending change since voids the request. */
  readonly tokenVersion: number;
  readonly expiresAt: string;
}

export interface EmailChangeStore {
  save(request: EmailChangeRequest): Promise<void>;
  get(tokenHash: string): Promise<EmailChangeRequest | undefined>;
  /** Deletes the request; false if it was gone already (used once). */
  take(tokenHash: string): Promise<boolean>;
}

export interface OperatorRepository {
  create(operator: Operator): Promise<void>;
  get(operatorId: string): Promise<Operator | undefined>;
  /** A page of operators in name order, those whose name starts with `name` (any case). */
  search(query: { name?: string; limit: number; cursor?: string }): Promise<Page<Operator>>;
  /** The operator and all its car parks, in one read. */
  getWithCarparks(operatorId: string): Promise<{ operator: Operator; carparks: Carpark[] } | undefined>;
}

export type CarparkChanges = Partial<
  Pick<Carpark, 'name' | 'address' | 'prices' | 'capacity' | 'smartParkingSiteId' | 'supportEmail' | 'timeZone' | 'stripeProductId' | 'stripePrices' | 'priceVersion' | 'offerHours' | 'platesPerTenancy'>
> & { readonly updatedAt: string };

export interface CarparkRepository {
  /**
   * Claims a SmartParking site id for an operator (a conditional write): succeeds when the site is
   * unclaimed or already the operator's; ConflictError `site_taken` when another operator has it.
   */
  claimSite(siteId: string, operatorId: string): Promise<void>;
  /** Fails with NotFoundError when the operator does not exist. */
  create(carpark: Carpark): Promise<void>;
  get(carparkId: string): Promise<Carpark | undefined>;
  list(page: { limit: number; cursor?: string }): Promise<Page<Carpark>>;
  /**
   * Applies changes. When capacity changes, succeeds only if no type would fall below its
   * occupied count (checked by the database, not just read first): ConflictError otherwise.
   * A new `priceVersion` is written only over the one before it (ConflictError `carpark_changed`
   * when another price change got there first).
   */
  update(carparkId: string, changes: CarparkChanges): Promise<Carpark>;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: string;
}

export interface TokenIssuer {
  /** `version`: the user's token version (see User.tokenVersion). */
  issue(principal: Principal, version?: number): Promise<IssuedToken>;
}
