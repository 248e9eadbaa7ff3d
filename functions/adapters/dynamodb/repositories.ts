/**
 * DynamoDB implementations of the domain's repository ports. Each method documents its round
 * trips: they are what a request costs.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { emailTakenError } from '../../domain/accounts';
import { capacityConflict } from '../../domain/carpark-admin';
import { VEHICLE_TYPES, type Carpark } from '../../domain/carparks';
import { epochSeconds } from '../../domain/clock';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type {
  CarparkRepository,
  EmailChangeStore,
  OperatorRepository,
  PasswordResetStore,
  UserChanges,
  UserRepository,
} from '../../domain/ports';
import type { User } from '../../domain/users';
import { renameTenant } from './tenant-names';
import { logger } from '../../http/logger';
import type { UserDirectory } from '../../domain/user-directory';
import { carparkEntity, operatorEntity } from './entities/carparks';
import { parseItem, type EntitySchema } from './entities/item';
import { emailChangeEntity, emailClaimEntity, passwordResetEntity, userEntity } from './entities/users';
import { isConditionFailure, updateExpression, withCondition } from './expressions';
import { ENTITY, INDEX, indexKeys, keys, nameSortKey, OPERATOR_ITEMS_SORT, operatorIndexKeys, userIndexKeys } from './keys';
import { decodeCursor, encodeCursor, invalidCursor, isStartKeyRejected } from './pagination';
import { tableSchema } from './table-schema';
import { EXISTS, NOT_EXISTS, TableName, db, getItem, putIf, queryAll, transact, updateIf } from './table';

/**
 * The most car parks one operator's GET /operators/{id} reads (in one or a few 1 MB pages). Past
 * it the request fails loudly rather than reading on: such an operator needs a paged listing.
 */
export const MAX_CARPARKS_PER_OPERATOR = 500;

/** Optional attributes a change may remove by giving them as undefined. */
function splitChanges(changes: Record<string, unknown>, removable: readonly string[]) {
  const remove = removable.filter((field) => field in changes && changes[field] === undefined);
  return { set: changes, remove };
}

// --- users -----------------------------------------------------------------------------------

export const userRepository: UserRepository = {
  /** 1 round trip: a transaction claiming the email and writing the user. */
  async create(user) {
    const result = await transact([
      {
        Put: {
          TableName: TableName(),
          Item: { ...keys.emailClaim(user.email), type: ENTITY.emailClaim, email: user.email, userId: user.userId },
          ConditionExpression: NOT_EXISTS,
        },
      },
      {
        Put: {
          TableName: TableName(),
          Item: { ...keys.user(user.userId), ...userIndexKeys(user), type: ENTITY.user, ...user },
          ConditionExpression: NOT_EXISTS,
        },
      },
    ]);
    if (!result.ok) throw emailTakenError();
  },

  /** 1 round trip. */
  get: (userId) => getItem(userEntity, keys.user(userId)),

  /** 2 round trips: the email claim, then the user. */
  async findByEmail(email) {
    const claim = await getItem(emailClaimEntity, keys.emailClaim(email));
    return claim ? this.get(claim.userId) : undefined;
  },

  /**
   * 1 round trip: an update, or a transaction that also moves the email claim. A name given is
   * then copied to the user's tenancies (`renameTenant`: 1 query, and a transaction for each that
   * keeps another name).
   */
  async update(current, changes) {
    const next = await updateUser(current, changes);
    if (changes.name !== undefined) {
      // The copies serve the search: failing them must not fail the change made (or the emails after it).
      await renameTenant(current.userId, changes.name).catch((error: unknown) =>
        logger.error('The new name was not copied to every tenancy; `npm run plate-index -- --write` copies it', { userId: current.userId, error }),
      );
    }
    return next;
  },
};

/** The user's item (and, for a new email, its claim) changed. */
async function updateUser(current: User, changes: UserChanges): Promise<User> {
  const { set, remove } = splitChanges(changes, ['phone', 'operatorId']);
  const next = Object.fromEntries(Object.entries({ ...current, ...changes }).filter(([, v]) => v !== undefined)) as unknown as User;
  // The user list's index keys follow the email and the name.
  const reindex = changes.email !== undefined || changes.name !== undefined ? userIndexKeys(next) : {};
  const update = withCondition(updateExpression({ ...set, ...reindex }, remove), EXISTS);

  if (changes.email === undefined || changes.email === current.email) {
    if (!(await updateIf({ Key: keys.user(current.userId), ...update }))) throw new NotFoundError('User');
    return next;
  }

  const result = await transact([
    {
      Put: {
        TableName: TableName(),
        Item: { ...keys.emailClaim(changes.email), type: ENTITY.emailClaim, email: changes.email, userId: current.userId },
        ConditionExpression: NOT_EXISTS,
      },
    },
    {
      Delete: {
        TableName: TableName(),
        Key: keys.emailClaim(current.email),
        ConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': current.userId },
      },
    },
    { Update: { TableName: TableName(), Key: keys.user(current.userId), ...update } },
  ]);
  if (!result.ok) {
    if (result.failed[0]) throw emailTakenError();
    throw new NotFoundError('User');
  }
  return next;
}

// --- password reset ----------------------------------------------------------------------------

export const passwordResetStore: PasswordResetStore = {
  async save(token) {
    await db().send(
      new PutCommand({
        TableName: TableName(),
        Item: {
          ...keys.passwordReset(token.tokenHash),
          type: ENTITY.passwordReset,
          ...token,
          [tableSchema.timeToLiveAttribute]: epochSeconds(new Date(token.expiresAt)),
        },
        ConditionExpression: NOT_EXISTS,
      }),
    );
  },

  get: (tokenHash) => getItem(passwordResetEntity, keys.passwordReset(tokenHash)),

  /** 1 round trip: delete the token and set the password, or neither. */
  async redeem({ token, now, expectedPasswordChangedAt, passwordHash, tokenVersion }) {
    const changedAt = now.toISOString();
    const result = await transact([
      {
        Delete: {
          TableName: TableName(),
          Key: keys.passwordReset(token.tokenHash),
          ConditionExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':now': changedAt },
        },
      },
      {
        Update: {
          TableName: TableName(),
          Key: keys.user(token.userId),
          ...withCondition(
            updateExpression({ passwordHash, passwordChangedAt: changedAt, tokenVersion, updatedAt: changedAt }),
            '#changed = :expected',
            { '#changed': 'passwordChangedAt' },
            { ':expected': expectedPasswordChangedAt },
          ),
        },
      },
    ]);
    return result.ok;
  },
};

// --- email changes -------------------------------------------------------------------------------

export const emailChangeStore: EmailChangeStore = {
  async save(request) {
    await db().send(
      new PutCommand({
        TableName: TableName(),
        Item: {
          ...keys.emailChange(request.tokenHash),
          type: ENTITY.emailChange,
          ...request,
          [tableSchema.timeToLiveAttribute]: epochSeconds(new Date(request.expiresAt)),
        },
      }),
    );
  },
  get: (tokenHash) => getItem(emailChangeEntity, keys.emailChange(tokenHash), true),
  async take(tokenHash) {
    try {
      await db().send(new DeleteCommand({ TableName: TableName(), Key: keys.emailChange(tokenHash), ConditionExpression: EXISTS }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
};

// --- operators and car parks -------------------------------------------------------------------

const carparkItem = (carpark: Carpark) => ({
  ...keys.carpark(carpark.carparkId),
  ...indexKeys.allCarparks(carpark.carparkId),
  ...indexKeys.operatorItems(carpark.operatorId, `${OPERATOR_ITEMS_SORT.carpark}${carpark.carparkId}`),
  type: ENTITY.carpark,
  ...carpark,
});

export const operatorRepository: OperatorRepository = {
  async create(operator) {
    await db().send(
      new PutCommand({
        TableName: TableName(),
        Item: {
          ...keys.operator(operator.operatorId),
          ...indexKeys.operatorItems(operator.operatorId, OPERATOR_ITEMS_SORT.operator),
          ...operatorIndexKeys(operator),
          type: ENTITY.operator,
          ...operator,
        },
        ConditionExpression: NOT_EXISTS,
      }),
    );
  },

  get: (operatorId) => getItem(operatorEntity, keys.operator(operatorId)),

  /** 1 round trip: one query of the operators' name index (gsi1, `operators`), `begins_with` the name. */
  search: ({ name, limit, cursor }) =>
    prefixPage(INDEX.operatorsByName, operatorEntity, { prefix: name === undefined ? undefined : nameSortKey(name), limit, cursor }),

  /**
   * 1 round trip per MB: the operator and its car parks share a gsi2 partition (between them in
   * its order, so its statistics are not read). Bounded on this request path by
   * MAX_CARPARKS_PER_OPERATOR (an error past it, never an endless read).
   */
  async getWithCarparks(operatorId) {
    const items = await queryAll(
      {
        IndexName: INDEX.operatorItems.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :carparks AND :operator',
        ExpressionAttributeNames: { '#pk': INDEX.operatorItems.partitionKey, '#sk': INDEX.operatorItems.sortKey },
        ExpressionAttributeValues: {
          ':pk': INDEX.operatorItems.partitionValue(operatorId),
          ':carparks': OPERATOR_ITEMS_SORT.carpark,
          ':operator': OPERATOR_ITEMS_SORT.operator,
        },
      },
      { what: `car parks of operator ${operatorId}`, maxItems: MAX_CARPARKS_PER_OPERATOR + 1, maxPages: 10 },
    );
    const operator = items.find((i) => i.type === ENTITY.operator);
    if (!operator) return undefined;
    return {
      operator: parseItem(operatorEntity, operator),
      carparks: items.filter((i) => i.type === ENTITY.carpark).map((i) => parseItem(carparkEntity, i)),
    };
  },
};

const LISTING_CURSOR_KEYS = [tableSchema.partitionKey, tableSchema.sortKey, ...Object.keys(indexKeys.allCarparks(''))];

export const carparkRepository: CarparkRepository = {
  /** 1 round trip. */
  async claimSite(siteId, operatorId) {
    const claimed = await putIf({
      Item: { ...keys.siteClaim(siteId), type: ENTITY.siteClaim, siteId, operatorId },
      ConditionExpression: 'attribute_not_exists(pk) OR operatorId = :operatorId',
      ExpressionAttributeValues: { ':operatorId': operatorId },
    });
    if (!claimed) throw new ConflictError('site_taken', 'This SmartParking site belongs to another operator. Check the site id with SmartParking.');
  },

  /** 1 round trip: the car park, on condition that its operator exists. */
  async create(carpark) {
    const result = await transact([
      { ConditionCheck: { TableName: TableName(), Key: keys.operator(carpark.operatorId), ConditionExpression: EXISTS } },
      { Put: { TableName: TableName(), Item: carparkItem(carpark), ConditionExpression: NOT_EXISTS } },
    ]);
    if (!result.ok) throw new NotFoundError('Operator');
  },

  /** 1 round trip. */
  get: (carparkId) => getItem(carparkEntity, keys.carpark(carparkId)),

  /** 1 round trip. */
  async list({ limit, cursor }) {
    // A cursor continues the car park listing only: a car park's keys, in the listing partition.
    const [pkName, skName, indexPk, indexSk] = LISTING_CURSOR_KEYS as [string, string, string, string];
    const startKey = cursor
      ? decodeCursor(cursor, LISTING_CURSOR_KEYS, {
          [pkName]: (v) => v.startsWith(`${ENTITY.carpark}#`),
          [skName]: ENTITY.carpark,
          [indexPk]: INDEX.allCarparks.partitionValue(),
          [indexSk]: (v) => /^cp_[A-Za-z0-9]{1,64}$/.test(v),
        })
      : undefined;
    const page = await db().send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: INDEX.allCarparks.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': INDEX.allCarparks.partitionKey },
        ExpressionAttributeValues: { ':pk': INDEX.allCarparks.partitionValue() },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    ).catch((error: unknown) => {
      throw startKey && isStartKeyRejected(error) ? invalidCursor() : error;
    });
    return {
      items: (page.Items ?? []).map((i) => parseItem(carparkEntity, i)),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  },

  /**
   * 1 round trip. A capacity change is conditioned on every type's occupied count, so a tenancy
   * created between our read and this write cannot be squeezed out.
   */
  async update(carparkId, changes) {
    const { capacity } = changes;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const guards = capacity
      ? VEHICLE_TYPES.map((type, i) => {
          names['#occupied'] = 'occupied';
          names[`#t${i}`] = type;
          // A type being dropped must have nobody in it.
          values[`:cap${i}`] = capacity[type] ?? 0;
          return `(attribute_not_exists(#occupied.#t${i}) OR #occupied.#t${i} <= :cap${i})`;
        })
      : [];
    if (changes.priceVersion !== undefined) {
      // Prices change one version at a time: a concurrent change of prices loses, it does not overwrite.
      names['#pv'] = 'priceVersion';
      values[':pvBefore'] = changes.priceVersion - 1;
      guards.push(changes.priceVersion === 1 ? '(attribute_not_exists(#pv) OR #pv = :pvBefore)' : '#pv = :pvBefore');
    }
    const update = withCondition(updateExpression(changes), [EXISTS, ...guards].join(' AND '), names, values);
    const updated = await updateIf({ Key: keys.carpark(carparkId), ...update, ReturnValues: 'ALL_NEW' });
    if (updated) return parseItem(carparkEntity, updated.Attributes ?? {});
    // Either the car park is gone, its prices changed meanwhile, or tenancies arrived since it was read.
    const now = await this.get(carparkId);
    if (!now) throw new NotFoundError('Car park');
    if (changes.priceVersion !== undefined && (now.priceVersion ?? 0) !== changes.priceVersion - 1) {
      throw new ConflictError('carpark_changed', 'The prices were changed by someone else meanwhile: read the car park again and retry.');
    }
    throw capacityConflict(Object.keys(capacity ?? {}));
  },
};

// --- the admin's user list ---------------------------------------------------------------------

/**
 * 1 round trip: one query of the users' email index (gsi1, `users`) or name index (gsi2,
 * `userNames`), `begins_with` the prefix, `Limit` the page: no filter, so pages are always full.
 */
export const userDirectory: UserDirectory = {
  search: ({ by, prefix, limit, cursor }) =>
    prefixPage(by === 'email' ? INDEX.usersByEmail : INDEX.usersByName, userEntity, {
      prefix: prefix === undefined ? undefined : by === 'email' ? prefix : nameSortKey(prefix),
      limit,
      cursor,
    }),
};

/**
 * A page of one entity's items in a single-partition index (`index`), those whose sort key starts
 * with `prefix`. A cursor continues this index's items of this entity only.
 */
export async function prefixPage<T>(
  index: { name: string; partitionKey: string; sortKey: string; partitionValue: () => string },
  entity: EntitySchema<T>,
  { prefix, limit, cursor }: { prefix: string | undefined; limit: number; cursor: string | undefined },
): Promise<{ items: T[]; nextCursor?: string }> {
  const partition = index.partitionValue();
  const cursorKeys = [tableSchema.partitionKey, tableSchema.sortKey, index.partitionKey, index.sortKey];
  const startKey = cursor
    ? decodeCursor(cursor, cursorKeys, {
        [cursorKeys[0]!]: (v) => v.startsWith(`${entity.type}#`),
        [cursorKeys[1]!]: entity.type,
        [cursorKeys[2]!]: partition,
      })
    : undefined;
  const result = await db()
    .send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: index.name,
        KeyConditionExpression: prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey, ...(prefix ? { '#sk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw startKey && isStartKeyRejected(error) ? invalidCursor() : error;
    });
  return {
    items: (result.Items ?? []).map((item) => parseItem(entity, item)),
    ...(result.LastEvaluatedKey ? { nextCursor: encodeCursor(result.LastEvaluatedKey) } : {}),
  };
}
