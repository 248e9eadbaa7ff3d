/**
 * Tenancies, plate claims and billing lines. Every change to what a tenancy holds (a space, a
 * plate claim, a billed quantity) happens in one transaction with its status change, conditioned
 * on the status it expects, so each is taken and given back exactly once however often a
 * workflow step is retried.
 */
import { priceFamily } from '../../domain/billing';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { LIVE_STATUSES, platesOf, TENANCY_STATUSES, type Tenancy, type TenancyPageQuery, type TenancyRepository, type TenancyStatus } from '../../domain/tenancies';
import { parseItem, type EntitySchema } from './entities/item';
import { plateSightingPut } from './plate-sightings';
import { TENANT_NAME_ATTRIBUTE } from './tenant-names';
import { timelinePut } from './tenancy-timeline';
import { spaceStats } from './stats-store';
import type { TimelineNote } from '../../domain/tenancy-timeline';
import { listedTenancyEntity, tenancyEntity } from './entities/tenancies';
import { updateExpression, withCondition } from './expressions';
import { ENTITY, INDEX, keys, plateIndexKeys, tenancyIndexKeys } from './keys';
import { decodeCursor, encodeCursor, invalidCursor, isStartKeyRejected } from './pagination';
import { NOT_EXISTS, TableName, getItem, queryAll, queryFilteredPage, transact, updateIf, type TransactItem } from './table';
import { tableSchema } from './table-schema';

/**
 * A filtered page (by status, or a tenant's by car park) reads at most PAGE_READS chunks of
 * PAGE_READ_SIZE tenancies: full unless more than that many others lie in between, in which case
 * the page is short but its cursor continues where reading stopped.
 */
export const PAGE_READ_SIZE = 100;
export const PAGE_READS = 5;

/**
 * Whole-set reads (consumers, workflow steps, scheduled jobs) stop with an error past these: a
 * tenant with more tenancies, or a car park with more live ones, than any real one has.
 */
export const MAX_TENANCIES_PER_TENANT = 1_000;
export const MAX_LIVE_TENANCIES_PER_CARPARK = 10_000;

const gsiSortKey = (indexName: string) => tableSchema.globalSecondaryIndexes.find((i) => i.indexName === indexName)!.sortKey;

/** The change's timeline event, when it has one, goes in its transaction. */
const noted = (tenancyId: string, at: string, note: TimelineNote | undefined): TransactItem[] => (note ? [timelinePut(tenancyId, at, note)] : []);

/** A new tenancy's item: with its index keys, and its tenant's name for the plate index's readers. */
const tenancyItem = (t: Tenancy, tenantName: string | undefined) => ({
  ...keys.tenancy(t.tenancyId),
  ...tenancyIndexKeys(t),
  type: ENTITY.tenancy,
  ...(tenantName !== undefined ? { [TENANT_NAME_ATTRIBUTE]: tenantName } : {}),
  ...t,
});

const statusIn = (statuses: readonly TenancyStatus[]) => {
  const values = Object.fromEntries(statuses.map((s, i) => [`:from${i}`, s]));
  return { condition: `#status IN (${Object.keys(values).join(', ')})`, names: { '#status': 'status' }, values };
};

/** Nobody waits for this type: a free space is the waitlist's before it is anyone else's. */
const NOBODY_WAITING = '(attribute_not_exists(#waiting.#type) OR #waiting.#type = :zero)';

/**
 * Takes (+1) or gives back (-1) a space of a type at a car park; taking is capped by capacity and
 * refused while anyone is in the type's waitlist.
 */
function occupancyChange(carparkId: string, vehicleType: string, delta: 1 | -1): TransactItem {
  const names = { '#occupied': 'occupied', '#capacity': 'capacity', '#waiting': 'waiting', '#type': vehicleType };
  return {
    Update: {
      TableName: TableName(),
      Key: keys.carpark(carparkId),
      UpdateExpression: 'SET #occupied.#type = if_not_exists(#occupied.#type, :zero) + :delta',
      ConditionExpression:
        delta > 0
          ? `((attribute_not_exists(#occupied.#type) AND #capacity.#type > :zero) OR #occupied.#type < #capacity.#type) AND ${NOBODY_WAITING}`
          : '#occupied.#type > :zero',
      ExpressionAttributeNames: delta > 0 ? names : { '#occupied': 'occupied', '#type': vehicleType },
      ExpressionAttributeValues: { ':zero': 0, ':delta': delta },
    },
  };
}

/** One fewer space held by an open waitlist offer (it became a tenancy); `occupied` is unchanged. */
function offeredRelease(carparkId: string, vehicleType: string): TransactItem {
  return {
    Update: {
      TableName: TableName(),
      Key: keys.carpark(carparkId),
      UpdateExpression: 'SET #offered.#type = #offered.#type - :one',
      ConditionExpression: '#offered.#type > :zero',
      ExpressionAttributeNames: { '#offered': 'offered', '#type': vehicleType },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
    },
  };
}

/**
 * Counts (+1) or uncounts (-1) a tenancy on a price's billing line, bumping the version. The line
 * keeps the price's family (car park × vehicle type), so billing can tell a repriced space from a
 * new one.
 */
function billingChange(t: Pick<Tenancy, 'userId' | 'carparkId'>, price: { priceId: string; vehicleType: string }, delta: 1 | -1): TransactItem[] {
  const userId = t.userId;
  return [
    {
      Update: {
        TableName: TableName(),
        Key: keys.billingLine(userId, price.priceId),
        UpdateExpression: 'SET #type = :type, priceId = :price, #family = :family ADD quantity :delta',
        ExpressionAttributeNames: { '#type': 'type', '#family': 'family' },
        ExpressionAttributeValues: { ':type': ENTITY.billingLine, ':price': price.priceId, ':family': priceFamily(t.carparkId, price.vehicleType), ':delta': delta },
      },
    },
    {
      Update: {
        TableName: TableName(),
        Key: keys.billingAccount(userId),
        UpdateExpression: 'SET #type = :type, userId = :user ADD version :one',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': ENTITY.billingAccount, ':user': userId, ':one': 1 },
      },
    },
  ];
}

/** Plates are claimed per barrier site; tenancies from before sites were owned, per car park. */
const claimScope = (t: Pick<Tenancy, 'carparkId' | 'siteId'>) => (t.siteId ? `site:${t.siteId}` : t.carparkId);

/**
 * Claims a plate at the tenancy's barrier: refused while another live tenancy claims it, or while
 * it is held for a revocation that has not lapsed (see holdForRevocation).
 */
function plateClaim(t: Pick<Tenancy, 'carparkId' | 'siteId' | 'tenancyId'>, plate: string, hold?: { until: string }): TransactItem {
  return {
    Put: {
      TableName: TableName(),
      Item: { ...keys.plateClaim(claimScope(t), plate), type: ENTITY.plateClaim, tenancyId: t.tenancyId, plate, ...(hold ? { holdUntil: hold.until } : {}) },
      // A hold may be taken again by its holder: a revocation retried after its step died holding the plate.
      ConditionExpression: `${NOT_EXISTS} OR #holdUntil < :now${hold ? ' OR (tenancyId = :me AND attribute_exists(#holdUntil))' : ''}`,
      ExpressionAttributeNames: { '#holdUntil': 'holdUntil' },
      ExpressionAttributeValues: { ':now': new Date().toISOString(), ...(hold ? { ':me': t.tenancyId } : {}) },
    },
  };
}

/** The tenancy's update, only if `extra` holds too (its names and values merged in). */
function alsoIf(update: ReturnType<typeof tenancyUpdate>, extra: string, names: Record<string, string> = {}, values: Record<string, unknown> = {}) {
  return { ...update, ...withCondition(update, `${update.ConditionExpression} AND ${extra}`, names, values) };
}

/**
 * The update, only while the tenancy is as read (its update time moves with every change) and,
 * with `extra`, that condition too.
 */
function unchangedSince(update: ReturnType<typeof tenancyUpdate>, read: string, extra?: string) {
  return alsoIf(update, `#updatedAt = :read${extra ? ` AND ${extra}` : ''}`, { '#updatedAt': 'updatedAt' }, { ':read': read });
}

/** How long a plate is held while it is revoked: far longer than a revoke call, short enough not to be missed if a step dies. */
const REVOCATION_HOLD_MS = 5 * 60_000;

function plateRelease(t: Pick<Tenancy, 'carparkId' | 'siteId' | 'tenancyId'>, plate: string): TransactItem {
  return {
    Delete: {
      TableName: TableName(),
      Key: keys.plateClaim(claimScope(t), plate),
      ConditionExpression: 'tenancyId = :tenancyId',
      ExpressionAttributeValues: { ':tenancyId': t.tenancyId },
    },
  };
}

function tenancyUpdate(
  tenancyId: string,
  from: readonly TenancyStatus[],
  changes: Record<string, unknown>,
  remove: string[] = [],
  cancellation?: { cancellationId: string | null },
) {
  const guard = statusIn(from);
  // A cancellation's steps act only while it is still the tenancy's pending one (not undone).
  const condition = !cancellation
    ? guard.condition
    : cancellation.cancellationId === null
      ? `${guard.condition} AND attribute_not_exists(#cancellationId)`
      : `${guard.condition} AND #cancellationId = :cancellationId`;
  const names = cancellation ? { ...guard.names, '#cancellationId': 'cancellationId' } : guard.names;
  const values = cancellation?.cancellationId ? { ...guard.values, ':cancellationId': cancellation.cancellationId } : guard.values;
  return {
    TableName: TableName(),
    Key: keys.tenancy(tenancyId),
    ...withCondition(updateExpression(changes, remove), condition, names, values),
  };
}

/**
 * A conditional update of the tenancy alone, returning it as updated (undefined when the condition
 * failed). With a note, the update and its event are one transaction, which returns no item: the
 * tenancy is then read back (consistent), 2 round trips instead of 1.
 */
async function updateReturningTenancy(tenancyId: string, update: ReturnType<typeof tenancyUpdate>, at: string, note: TimelineNote | undefined) {
  if (note) {
    const result = await transact([{ Update: update }, timelinePut(tenancyId, at, note)]);
    return result.ok ? getItem(tenancyEntity, keys.tenancy(tenancyId), true) : undefined;
  }
  const updated = await updateIf({ ...update, ReturnValues: 'ALL_NEW' });
  return updated?.Attributes ? parseItem(tenancyEntity, updated.Attributes) : undefined;
}

/** Fields given as undefined in a change are removed from the item. */
const removedFields = (changes: object) => Object.entries(changes).filter(([, v]) => v === undefined).map(([k]) => k);

/**
 * Status changes move the tenancy within its indexes only by attribute, never by key, so a status
 * (or car park) filter is a FilterExpression: queryFilteredPage reads on until the page is full
 * (bounded), never handing back a short page because `Limit` counted filtered-out items.
 */
async function page<T>(entity: EntitySchema<T>, index: { name: string; partitionKey: string }, partition: string, query: TenancyPageQuery, newestFirst: boolean) {
  const cursorKeys = [tableSchema.partitionKey, tableSchema.sortKey, index.partitionKey, gsiSortKey(index.name)];
  // A cursor continues this partition's tenancies only.
  const startKey = query.cursor
    ? decodeCursor(query.cursor, cursorKeys, {
        [cursorKeys[0]!]: (v) => v.startsWith(`${ENTITY.tenancy}#`),
        [cursorKeys[1]!]: ENTITY.tenancy,
        [cursorKeys[2]!]: partition,
        [cursorKeys[3]!]: (v) => v.startsWith('tenancy#'),
      })
    : undefined;
  const filters = [
    ...(query.status ? ['#status = :status'] : []),
    ...(query.carparkId ? ['#carparkId = :carparkId'] : []),
    ...(query.inArrears ? ['attribute_exists(#arrears)'] : []),
  ];
  const result = await queryFilteredPage(
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        '#sk': cursorKeys[3]!,
        ...(query.status ? { '#status': 'status' } : {}),
        ...(query.carparkId ? { '#carparkId': 'carparkId' } : {}),
        ...(query.inArrears ? { '#arrears': 'arrears' } : {}),
      },
      ExpressionAttributeValues: {
        ':pk': partition,
        ':prefix': 'tenancy#',
        ...(query.status ? { ':status': query.status } : {}),
        ...(query.carparkId ? { ':carparkId': query.carparkId } : {}),
      },
      ScanIndexForward: !newestFirst,
    },
    { limit: query.limit, ...(startKey ? { startKey } : {}), cursorKeys, maxReads: PAGE_READS, readSize: PAGE_READ_SIZE },
  ).catch((error: unknown) => {
    throw startKey && isStartKeyRejected(error) ? invalidCursor() : error;
  });
  return {
    items: result.items.map((i) => parseItem(entity, i)),
    ...(result.lastKey ? { nextCursor: encodeCursor(result.lastKey) } : {}),
  };
}

/**
 * 1 round trip: a plate being changed to or added, claimed at the barrier with its sighting and
 * the tenancy's update (conditioned by the caller). ConflictError `plate_in_use` or `tenancy_busy`.
 */
async function claimPendingPlate(t: Tenancy, plate: string, update: ReturnType<typeof tenancyUpdate>, now: string, note: TimelineNote | undefined): Promise<void> {
  const result = await transact([plateClaim(t, plate), { Update: update }, plateSightingPut(t, plate), ...noted(t.tenancyId, now, note)]);
  if (result.ok) return;
  if (result.failed[0]) throw new ConflictError('plate_in_use', `${plate} already has a live tenancy at this car park's barrier.`);
  throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile, is not active, or has a plate change under way. Reload it and try again.');
}

export const tenancyRepository: TenancyRepository = {
  /** 1 round trip: space, plate claim, tenancy and (unless scheduled) billing count in one transaction. */
  async reserve(t, note, tenantName) {
    const result = await transact([
      occupancyChange(t.carparkId, t.vehicleType, 1),
      plateClaim(t, t.plate),
      { Put: { TableName: TableName(), Item: tenancyItem(t, tenantName), ConditionExpression: NOT_EXISTS } },
      ...(t.status === 'scheduled' ? [] : billingChange(t, t, 1)),
      ...spaceStats(t, t.createdAt, { taken: t.vehicleType, mrr: t.monthlyAmount }),
      // Last: the failure reasons below are read by position.
      plateSightingPut(t, t.plate),
      ...noted(t.tenancyId, t.createdAt, note),
    ]);
    if (result.ok) return;
    if (result.failed[0]) {
      throw new ConflictError(
        'carpark_full',
        `No ${t.vehicleType} space is free at this car park. Join its waitlist (POST /carparks/${t.carparkId}/waitlist) to be offered the next one.`,
      );
    }
    if (result.failed[1]) throw new ConflictError('plate_in_use', `${t.plate} already has a live tenancy at this car park's barrier.`);
    throw new NotFoundError('Car park');
  },

  /**
   * 1 round trip: the offer accepted and the tenancy created on the space it held (taken already:
   * no occupancy change), only while the offer is open and not past its deadline.
   */
  async reserveFromOffer(t, offer, now, note, tenantName) {
    const result = await transact([
      {
        Update: {
          TableName: TableName(),
          Key: keys.waitlistOffer(offer.offerId),
          UpdateExpression: 'SET #status = :accepted, resolvedAt = :now, tenancyId = :tenancyId',
          ConditionExpression: '#status = :open AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':accepted': 'accepted', ':open': 'open', ':now': now, ':tenancyId': t.tenancyId },
        },
      },
      plateClaim(t, t.plate),
      { Put: { TableName: TableName(), Item: tenancyItem(t, tenantName), ConditionExpression: NOT_EXISTS } },
      ...billingChange(t, t, 1),
      // The space stays taken, now by the tenancy: no longer one an offer holds.
      ...(offer.counted ? [offeredRelease(t.carparkId, t.vehicleType)] : []),
      ...spaceStats(t, t.createdAt, { taken: t.vehicleType, mrr: t.monthlyAmount }),
      plateSightingPut(t, t.plate),
      ...noted(t.tenancyId, t.createdAt, note),
    ]);
    if (result.ok) return;
    if (result.failed[0]) throw new ConflictError('offer_not_open', 'This offer is no longer open.');
    if (result.failed[1]) throw new ConflictError('plate_in_use', `${t.plate} already has a live tenancy at this car park's barrier.`);
    throw new ConflictError('offer_not_open', 'This offer is no longer open.');
  },

  /** 1 round trip: pending and counted for billing together, only from scheduled. */
  async begin(t, now, note) {
    const result = await transact([
      { Update: tenancyUpdate(t.tenancyId, ['scheduled'], { status: 'pending', updatedAt: now }) },
      ...billingChange(t, t, 1),
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok ? this.get(t.tenancyId, true) : undefined;
  },

  /** 1 round trip: ended, its space and plate claim given back, only from scheduled. */
  async withdraw(t, now, note) {
    const result = await transact([
      { Update: tenancyUpdate(t.tenancyId, ['scheduled'], { status: 'ended', endsAt: now, updatedAt: now }) },
      occupancyChange(t.carparkId, t.vehicleType, -1),
      plateRelease(t, t.plate),
      ...spaceStats(t, now, { freed: t.vehicleType, ended: true, mrr: -t.monthlyAmount }),
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok ? this.get(t.tenancyId, true) : undefined;
  },

  get: (tenancyId, consistent = false) => getItem(tenancyEntity, keys.tenancy(tenancyId), consistent),

  getListed: (tenancyId) => getItem(listedTenancyEntity, keys.tenancy(tenancyId)),

  // A tenant's own list leaves out the name it keeps for operators.
  listByUser: (userId, query) => page(tenancyEntity, INDEX.tenanciesByUser, INDEX.tenanciesByUser.partitionValue(userId), query, true),
  listByCarpark: (carparkId, query) => page(listedTenancyEntity, INDEX.tenanciesByCarpark, INDEX.tenanciesByCarpark.partitionValue(carparkId), query, false),

  /** Reconciliation and the sweeper (never a request): every page, live ones only, capped. */
  async liveAtCarpark(carparkId) {
    const live = statusIn(LIVE_STATUSES);
    const items = await queryAll(
      {
        IndexName: INDEX.tenanciesByCarpark.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        FilterExpression: live.condition,
        ExpressionAttributeNames: { '#pk': INDEX.tenanciesByCarpark.partitionKey, '#sk': gsiSortKey(INDEX.tenanciesByCarpark.name), ...live.names },
        ExpressionAttributeValues: { ':pk': INDEX.tenanciesByCarpark.partitionValue(carparkId), ':prefix': 'tenancy#', ...live.values },
      },
      { what: `live tenancies at car park ${carparkId}`, maxItems: MAX_LIVE_TENANCIES_PER_CARPARK, maxPages: 200 },
    );
    return items.map((i) => parseItem(tenancyEntity, i));
  },

  /** Consumers and workflow steps (never a request): every page of a tenant's tenancies, capped. */
  async allOfUser(userId) {
    const items = await queryAll(
      {
        IndexName: INDEX.tenanciesByUser.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': INDEX.tenanciesByUser.partitionKey, '#sk': gsiSortKey(INDEX.tenanciesByUser.name) },
        ExpressionAttributeValues: { ':pk': INDEX.tenanciesByUser.partitionValue(userId), ':prefix': 'tenancy#' },
        ScanIndexForward: false,
      },
      { what: `tenancies of ${userId}`, maxItems: MAX_TENANCIES_PER_TENANT, maxPages: 50 },
    );
    return items.map((i) => parseItem(tenancyEntity, i));
  },

  /** 1 round trip; with a timeline note, a transaction and a consistent read of the result (2). */
  async transition(tenancyId, from, changes, note) {
    return updateReturningTenancy(tenancyId, tenancyUpdate(tenancyId, from, changes, removedFields(changes)), changes.updatedAt, note);
  },

  /** 1 round trip. */
  async release(t, from, to, changes, guard, note) {
    const result = await transact([
      { Update: tenancyUpdate(t.tenancyId, from, { ...changes, status: to }, removedFields(changes), guard) },
      occupancyChange(t.carparkId, t.vehicleType, -1),
      ...platesOf(t).map((plate) => plateRelease(t, plate)),
      ...billingChange(t, t, -1),
      // A plate change in flight loses its claim too.
      ...(t.pendingPlate ? [plateRelease(t, t.pendingPlate)] : []),
      ...spaceStats(t, changes.updatedAt, { freed: t.vehicleType, ended: to === 'ended', mrr: -t.monthlyAmount }),
      ...noted(t.tenancyId, changes.updatedAt, note),
    ]);
    return result.ok;
  },

  /** 1 round trip; the space, plate claim and billed quantity stay where they are. */
  async undoCancellation(t, to, now, note) {
    const changes = { status: to.status, suspendedFrom: to.suspendedFrom, endsAt: undefined, cancellationId: undefined, updatedAt: now };
    const update = tenancyUpdate(t.tenancyId, [t.status], changes, removedFields(changes), { cancellationId: t.cancellationId ?? null });
    return updateReturningTenancy(t.tenancyId, update, now, note);
  },

  /** 1 round trip: the arrears must still be open when the tenancy is suspended. */
  async suspendForArrears(t, arrears, now, note) {
    const result = await transact([
      {
        ConditionCheck: {
          TableName: TableName(),
          Key: keys.arrears(t.userId, arrears.invoiceId),
          ConditionExpression: 'attribute_exists(pk) AND #state <> :settled',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':settled': 'settled' },
        },
      },
      {
        // Conditioned on the status read, so `suspendedFrom` is what it really was.
        Update: tenancyUpdate(t.tenancyId, [t.status], {
          status: 'suspended',
          suspendedFrom: t.status === 'cancelling' ? 'cancelling' : 'active',
          arrears: { ...arrears, state: 'suspended' },
          updatedAt: now,
        }),
      },
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok;
  },

  async startPlateChange(t, newPlate, now, note) {
    const update = tenancyUpdate(t.tenancyId, ['active'], { pendingPlate: newPlate, updatedAt: now });
    await claimPendingPlate(t, newPlate, alsoIf(update, 'attribute_not_exists(pendingPlate)'), now, note);
  },

  async startPlateAddition(t, plate, now, note, cutShort) {
    const retiredPlates = cutShort ? (t.retiredPlates ?? []).map((r) => (r.plate === cutShort ? { ...r, until: now } : r)) : undefined;
    const update = tenancyUpdate(t.tenancyId, ['active'], { pendingPlate: plate, addingPlate: true, ...(retiredPlates ? { retiredPlates } : {}), updatedAt: now });
    // Only from the plates read (the limit was checked on them), with no change in flight.
    await claimPendingPlate(t, plate, unchangedSince(update, t.updatedAt, 'attribute_not_exists(pendingPlate)'), now, note);
  },

  async removePlate(t, plate, until, now, note) {
    const [first, ...rest] = platesOf(t).filter((p) => p !== plate);
    if (!first) throw new ConflictError('last_plate', 'A tenancy keeps at least one plate.');
    const retiredPlates = [...(t.retiredPlates ?? []).filter((r) => r.plate !== plate), { plate, until }];
    // The plate index follows the first plate.
    const changes = { plate: first, extraPlates: rest.length > 0 ? rest : undefined, retiredPlates, updatedAt: now, ...plateIndexKeys.tenancy({ ...t, plate: first }) };
    const update = tenancyUpdate(t.tenancyId, ['active'], changes, removedFields(changes));
    const result = await transact([
      // Only from the plates read, with no change in flight.
      { Update: unchangedSince(update, t.updatedAt, 'attribute_not_exists(pendingPlate)') },
      plateRelease(t, plate),
      ...noted(t.tenancyId, now, note),
    ]);
    if (!result.ok) throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile, or a plate change is under way. Reload it and try again.');
    return (await this.get(t.tenancyId, true))!;
  },

  async holdForRevocation(t, plate) {
    return (await transact([plateClaim(t, plate, { until: new Date(Date.now() + REVOCATION_HOLD_MS).toISOString() })])).ok;
  },

  async endRevocationHold(t, plate) {
    // Gone already (lapsed and claimed by a tenancy) is fine: that claim is not ours to delete.
    await transact([
      {
        Delete: {
          TableName: TableName(),
          Key: keys.plateClaim(claimScope(t), plate),
          ConditionExpression: 'tenancyId = :tenancyId AND attribute_exists(#holdUntil)',
          ExpressionAttributeNames: { '#holdUntil': 'holdUntil' },
          ExpressionAttributeValues: { ':tenancyId': t.tenancyId },
        },
      },
    ]);
  },

  async forgetRetiredPlate(tenancyId, plate, now, note) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const t = await this.get(tenancyId, true);
      if (!t?.retiredPlates?.some((r) => r.plate === plate)) return;
      const rest = t.retiredPlates.filter((r) => r.plate !== plate);
      const changes = { retiredPlates: rest.length > 0 ? rest : undefined, updatedAt: now };
      // Whatever its status: only from the list read.
      const result = await transact([
        { Update: unchangedSince(tenancyUpdate(tenancyId, TENANCY_STATUSES, changes, removedFields(changes)), t.updatedAt) },
        ...noted(tenancyId, now, note),
      ]);
      if (result.ok) return;
    }
    throw new ConflictError('tenancy_busy', `Tenancy ${tenancyId} kept changing while a removed plate was forgotten.`);
  },

  async commitPlateChange(t, now, note) {
    if (!t.pendingPlate) return t;
    if (t.addingPlate) {
      // A plate added back while it was still removed is no longer a removed one.
      const retired = t.retiredPlates?.filter((r) => r.plate !== t.pendingPlate);
      const changes = { extraPlates: [...(t.extraPlates ?? []), t.pendingPlate], ...(retired ? { retiredPlates: retired.length > 0 ? retired : undefined } : {}), updatedAt: now };
      const update = tenancyUpdate(t.tenancyId, LIVE_STATUSES, changes, ['pendingPlate', 'addingPlate', ...removedFields(changes)]);
      const added = await transact([
        { Update: alsoIf(update, 'pendingPlate = :pending', {}, { ':pending': t.pendingPlate }) },
        ...noted(t.tenancyId, now, note),
      ]);
      return added.ok ? this.get(t.tenancyId, true) : undefined;
    }
    const result = await transact([
      { Update: tenancyUpdate(t.tenancyId, LIVE_STATUSES, { plate: t.pendingPlate, updatedAt: now, ...plateIndexKeys.tenancy({ ...t, plate: t.pendingPlate }) }, ['pendingPlate']) },
      plateRelease(t, t.plate),
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok ? this.get(t.tenancyId, true) : undefined;
  },

  /** 1 round trip. */
  async changeVehicle(t, to, now, note) {
    const previousVehicle = { vehicleType: t.vehicleType, priceId: t.priceId, monthlyAmount: t.monthlyAmount };
    const { quotedAt, ...vehicle } = to;
    const update = tenancyUpdate(t.tenancyId, ['active'], { ...vehicle, ...(quotedAt ? { quotedAt } : {}), previousVehicle, updatedAt: now }, quotedAt ? [] : ['quotedAt']);
    const result = await transact([
      // The new type's space is taken; the old one stays held until the change is committed (or
      // undone), so a failed charge never finds its old space given to someone else.
      occupancyChange(t.carparkId, to.vehicleType, 1),
      { Update: alsoIf(update, 'attribute_not_exists(previousVehicle)') },
      ...billingChange(t, to, 1),
      // The account's version is bumped once by the line above; the old line only loses its unit.
      billingChange(t, t, -1)[0]!,
      ...spaceStats(t, now, { taken: to.vehicleType, freed: t.vehicleType, mrr: to.monthlyAmount - t.monthlyAmount }),
      ...noted(t.tenancyId, now, note),
    ]);
    if (result.ok) return;
    if (result.failed[0]) throw new ConflictError('carpark_full', `No ${to.vehicleType} space is free at this car park.`);
    throw new ConflictError('tenancy_busy', 'This tenancy is not active, or a change is already under way.');
  },

  /** 1 round trip. */
  async revertVehicleChange(t, now, note) {
    const back = t.previousVehicle;
    if (!back) return false;
    const update = tenancyUpdate(t.tenancyId, LIVE_STATUSES, { ...back, updatedAt: now }, ['previousVehicle']);
    const result = await transact([
      // The new type's space is given back; the old one was held through the change.
      occupancyChange(t.carparkId, t.vehicleType, -1),
      { Update: alsoIf(update, 'attribute_exists(previousVehicle)') },
      ...billingChange(t, back, 1),
      billingChange(t, t, -1)[0]!,
      ...spaceStats(t, now, { taken: back.vehicleType, freed: t.vehicleType, mrr: back.monthlyAmount - t.monthlyAmount }),
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok;
  },

  /** 1 round trip. */
  async reprice(t, to, now, note) {
    const priceChange = { previousPriceId: t.priceId, previousAmount: t.monthlyAmount, from: to.from, at: now };
    const update = tenancyUpdate(t.tenancyId, [t.status], { priceId: to.priceId, monthlyAmount: to.monthlyAmount, priceChange, updatedAt: now });
    const result = await transact([
      { Update: alsoIf(update, '#priceId = :previousPrice AND attribute_not_exists(previousVehicle)', { '#priceId': 'priceId' }, { ':previousPrice': t.priceId }) },
      // A scheduled tenancy is not billed yet: it is counted on its (new) price when it starts.
      ...(t.status === 'scheduled' ? [] : [...billingChange(t, { priceId: to.priceId, vehicleType: t.vehicleType }, 1), billingChange(t, t, -1)[0]!]),
      ...spaceStats(t, now, { mrr: to.monthlyAmount - t.monthlyAmount }),
      ...noted(t.tenancyId, now, note),
    ]);
    return result.ok;
  },

  async markPriceChangeNotified(tenancyId, changedAt, now) {
    await updateIf({
      Key: keys.tenancy(tenancyId),
      UpdateExpression: 'SET priceChange.notifiedAt = :now',
      ConditionExpression: 'priceChange.#at = :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':now': now, ':at': changedAt },
    });
  },

  /** 1 round trip: the change kept, and the old type's space (held through it) given back. */
  async commitVehicleChange(t, now) {
    const before = t.previousVehicle;
    if (!before) return false;
    const update = tenancyUpdate(t.tenancyId, LIVE_STATUSES, { updatedAt: now }, ['previousVehicle']);
    const result = await transact([
      { Update: alsoIf(update, 'attribute_exists(previousVehicle)') },
      occupancyChange(t.carparkId, before.vehicleType, -1),
    ]);
    return result.ok;
  },

  async abortPlateChange(t, now, note) {
    if (!t.pendingPlate) return;
    await transact([
      { Update: tenancyUpdate(t.tenancyId, LIVE_STATUSES, { updatedAt: now }, ['pendingPlate', 'addingPlate']) },
      plateRelease(t, t.pendingPlate),
      ...noted(t.tenancyId, now, note),
    ]);
  },
};
