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

export interface LoginThrottle {
  readonly failures: number;
  /** Start of the current counting window (epoch ms). */
  readonly windowStartedAt: number;
  /** Epoch ms until which logins are refused; 0 when not locked. */
  readonly lockedUntil: number;
}

export type UserChanges = Partial<Pick<User, 'name' | 'phone' | 'email' | 'role' | 'operatorId' | 'passwordHash' | 'passwordChangedAt'>> & {
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

export interface LoginThrottleStore {
  /** The user with this email (if any) and the email's throttle state, read together. */
  findLoginState(email: string): Promise<{ user?: User; throttle?: LoginThrottle }>;
  /** Counts a failure inside a window of `windowMs`; returns the state after counting. */
  recordFailure(email: string, now: Date, windowMs: number): Promise<LoginThrottle>;
  lock(email: string, until: Date): Promise<void>;
  clear(email: string): Promise<void>;
}

export interface PasswordResetToken {
  readonly tokenHash: string;
  readonly userId: string;
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
  }): Promise<boolean>;
}

export interface OperatorRepository {
  create(operator: Operator): Promise<void>;
  get(operatorId: string): Promise<Operator | undefined>;
  /** The operator and all its car parks, in one read. */
  getWithCarparks(operatorId: string): Promise<{ operator: Operator; carparks: Carpark[] } | undefined>;
}

export type CarparkChanges = Partial<
  Pick<Carpark, 'name' | 'address' | 'prices' | 'capacity' | 'smartParkingSiteId' | 'supportEmail' | 'timeZone' | 'stripeProductId' | 'stripePrices'>
> & { readonly updatedAt: string };

export interface CarparkRepository {
  /** Fails with NotFoundError when the operator does not exist. */
  create(carpark: Carpark): Promise<void>;
  get(carparkId: string): Promise<Carpark | undefined>;
  list(page: { limit: number; cursor?: string }): Promise<Page<Carpark>>;
  /**
   * Applies changes. When capacity changes, succeeds only if no type would fall below its
   * occupied count (checked by the database, not just read first): ConflictError otherwise.
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
  issue(principal: Principal): Promise<IssuedToken>;
}
