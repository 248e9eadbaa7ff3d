/**
 * DynamoDB implementations of the domain's repository ports, over the ElectroDB entities.
 * Each method documents its round trips: they are what a request costs.
 */
import { VEHICLE_TYPES, type Carpark } from '../../domain/carparks';
import { capacityConflict } from '../../domain/carpark-admin';
import { emailTakenError } from '../../domain/accounts';
import { NotFoundError } from '../../domain/errors';
import type { Operator } from '../../domain/operators';
import type {
  CarparkChanges,
  CarparkRepository,
  LoginThrottle,
  LoginThrottleStore,
  OperatorRepository,
  PasswordResetStore,
  PasswordResetToken,
  UserChanges,
  UserRepository,
} from '../../domain/ports';
import type { User } from '../../domain/users';
import { epochSeconds } from '../../domain/clock';
import { getService, type CarparkRecord, type UserRecord } from './entities';

/** Strips the attributes DynamoDB leaves undefined so domain objects have no `undefined` keys. */
const compact = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;

const toUser = (r: UserRecord): User => compact(r) as User;
const toCarpark = (r: CarparkRecord): Carpark => compact(r) as Carpark;

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && /ConditionalCheckFailed|conditional request failed/i.test(`${error.name} ${error.message} ${String((error as { cause?: unknown }).cause)}`);

export const userRepository: UserRepository = {
  /** 1 round trip: a transaction claiming the email and writing the user. */
  async create(user) {
    const { canceled } = await getService()
      .transaction.write(({ user: users, emailClaim }) => [
        emailClaim.create({ email: user.email, userId: user.userId }).commit(),
        users.create(user).commit(),
      ])
      .go();
    if (canceled) throw emailTakenError();
  },

  /** 1 round trip. */
  async get(userId) {
    const { data } = await getService().entities.user.get({ userId }).go();
    return data ? toUser(data) : undefined;
  },

  /** 2 round trips: the email claim, then the user. */
  async findByEmail(email) {
    const { data: claim } = await getService().entities.emailClaim.get({ email }).go();
    return claim ? this.get(claim.userId) : undefined;
  },

  /** 1 round trip: a plain update, or a transaction moving the email claim. */
  async update(current, changes) {
    const { entities, transaction } = getService();
    // A key present with the value undefined means "remove this optional attribute".
    const removals = (['phone', 'operatorId'] as const).filter((key) => key in changes && changes[key] === undefined);
    const toSet = compact(changes);
    const patch = () => {
      const p = entities.user.patch({ userId: current.userId }).set(toSet);
      return removals.length > 0 ? p.remove([...removals]) : p;
    };
    const next = compact({ ...current, ...changes }) as User;

    if (changes.email === undefined || changes.email === current.email) {
      try {
        await patch().go();
      } catch (error) {
        if (isConditionFailure(error)) throw new NotFoundError('User');
        throw error;
      }
      return next;
    }

    const newEmail = changes.email;
    const { canceled, data } = await transaction
      .write(({ emailClaim, user }) => {
        const userPatch = user.patch({ userId: current.userId }).set(toSet);
        return [
          emailClaim.create({ email: newEmail, userId: current.userId }).commit(),
          emailClaim
            .delete({ email: current.email })
            .where(({ userId }, { eq }) => eq(userId, current.userId))
            .commit(),
          (removals.length > 0 ? userPatch.remove([...removals]) : userPatch).commit(),
        ];
      })
      .go();
    if (canceled) {
      if (data[0]?.rejected) throw emailTakenError();
      throw new NotFoundError('User');
    }
    return next;
  },
};

const toThrottle = (r: { failures: number; windowStartedAt: number; lockedUntil: number }): LoginThrottle => ({
  failures: r.failures,
  windowStartedAt: r.windowStartedAt,
  lockedUntil: r.lockedUntil,
});

/** Throttle records outlive their window by a day, then TTL removes them. */
const throttleExpiry = (now: Date) => epochSeconds(now) + 24 * 60 * 60;

export const loginThrottleStore: LoginThrottleStore = {
  /** 2 round trips in sequence: claim and throttle read in parallel, then the user if known. */
  async findLoginState(email) {
    const { entities } = getService();
    const [claims, throttles] = await Promise.all([
      entities.emailClaim.get({ email }).go(),
      entities.loginThrottle.get({ email }).go(),
    ]);
    const user = claims.data ? await userRepository.get(claims.data.userId) : undefined;
    return { ...(user ? { user } : {}), ...(throttles.data ? { throttle: toThrottle(throttles.data) } : {}) };
  },

  /** 1 round trip inside the window; 2 when a stale window is restarted. */
  async recordFailure(email, now, windowMs) {
    const { loginThrottle } = getService().entities;
    const windowStart = now.getTime() - windowMs;
    try {
      const { data } = await loginThrottle
        .patch({ email })
        .add({ failures: 1 })
        .set({ expiresAt: throttleExpiry(now) })
        .where(({ windowStartedAt }, { gt }) => gt(windowStartedAt, windowStart))
        .go({ response: 'all_new' });
      return toThrottle(data);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const fresh = { email, failures: 1, windowStartedAt: now.getTime(), lockedUntil: 0, expiresAt: throttleExpiry(now) };
      await loginThrottle.put(fresh).go();
      return toThrottle(fresh);
    }
  },

  async lock(email, until) {
    await getService()
      .entities.loginThrottle.patch({ email })
      .set({ lockedUntil: until.getTime(), failures: 0, expiresAt: epochSeconds(until) + 24 * 60 * 60 })
      .go();
  },

  async clear(email) {
    await getService().entities.loginThrottle.delete({ email }).go();
  },
};

export const passwordResetStore: PasswordResetStore = {
  async save(token) {
    const expires = new Date(token.expiresAt);
    await getService()
      .entities.passwordReset.create({
        tokenHash: token.tokenHash,
        userId: token.userId,
        issuedAt: token.issuedAt,
        expiresAtIso: token.expiresAt,
        expiresAt: epochSeconds(expires),
      })
      .go();
  },

  async get(tokenHash): Promise<PasswordResetToken | undefined> {
    const { data } = await getService().entities.passwordReset.get({ tokenHash }).go();
    return data
      ? { tokenHash: data.tokenHash, userId: data.userId, issuedAt: data.issuedAt, expiresAt: data.expiresAtIso }
      : undefined;
  },

  /** 1 round trip: delete the token and set the password, or neither. */
  async redeem({ token, now, expectedPasswordChangedAt, passwordHash }) {
    const changedAt = now.toISOString();
    const { canceled } = await getService()
      .transaction.write(({ passwordReset, user }) => [
        passwordReset
          .delete({ tokenHash: token.tokenHash })
          .where(({ expiresAtIso }, { gt }) => gt(expiresAtIso, changedAt))
          .commit(),
        user
          .patch({ userId: token.userId })
          .set({ passwordHash, passwordChangedAt: changedAt, updatedAt: changedAt })
          .where(({ passwordChangedAt }, { eq }) => eq(passwordChangedAt, expectedPasswordChangedAt))
          .commit(),
      ])
      .go();
    return !canceled;
  },
};

export const operatorRepository: OperatorRepository = {
  async create(operator) {
    await getService().entities.operator.create(operator).go();
  },

  async get(operatorId) {
    const { data } = await getService().entities.operator.get({ operatorId }).go();
    return data ? (compact(data) as Operator) : undefined;
  },

  /** 1 round trip per page of 1 MB: the operator and its car parks share a GSI partition. */
  async getWithCarparks(operatorId) {
    const { data } = await getService().collections.operatorWithCarparks({ operatorId }).go({ pages: 'all' });
    const [operator] = data.operator;
    if (!operator) return undefined;
    return { operator: compact(operator) as Operator, carparks: data.carpark.map(toCarpark) };
  },
};

export const carparkRepository: CarparkRepository = {
  /** 1 round trip: the car park, on condition that its operator exists. */
  async create(carpark) {
    const { canceled } = await getService()
      .transaction.write(({ operator, carpark: carparks }) => [
        operator.check({ operatorId: carpark.operatorId }).where(({ operatorId }, { exists }) => exists(operatorId)).commit(),
        carparks.create(carpark).commit(),
      ])
      .go();
    if (canceled) throw new NotFoundError('Operator');
  },

  /** 1 round trip. */
  async get(carparkId) {
    const { data } = await getService().entities.carpark.get({ carparkId }).go();
    return data ? toCarpark(data) : undefined;
  },

  /** 1 round trip. */
  async list({ limit, cursor }) {
    const { data, cursor: next } = await getService()
      .entities.carpark.query.allCarparks({})
      .go({ limit, ...(cursor ? { cursor } : {}) });
    return { items: data.map(toCarpark), ...(next ? { nextCursor: next } : {}) };
  },

  /**
   * 1 round trip. A capacity change is conditioned on every type's occupied count, so a
   * tenancy created between our read and this write cannot be squeezed out.
   */
  async update(carparkId, changes: CarparkChanges) {
    const { capacity } = changes;
    const patch = getService().entities.carpark.patch({ carparkId }).set(changes);
    const guarded = capacity
      ? patch.where(({ occupied }, { notExists, lte }) =>
          VEHICLE_TYPES.map((type) => {
              const limit = capacity[type];
              // A type being dropped must have nobody in it.
            return `(${notExists(occupied[type])} OR ${lte(occupied[type], limit ?? 0)})`;
          }).join(' AND '),
        )
      : patch;
    try {
      const { data } = await guarded.go({ response: 'all_new' });
      return toCarpark(data as CarparkRecord);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Either the car park is gone or tenancies arrived since it was read.
      if (!(await this.get(carparkId))) throw new NotFoundError('Car park');
      throw capacityConflict(Object.keys(capacity ?? {}));
    }
  },
};
