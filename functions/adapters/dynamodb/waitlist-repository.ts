/**
 * Waitlists in the single table. A line is one partition (entries in join order, a member item
 * per tenant); the car park item counts who waits (`waiting.<type>`) beside `occupied`, so the
 * transactions below keep `occupied` = live tenancies + open offers and stop direct rentals while
 * anyone waits (tenancy-repository's reserve checks the count).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { WaitlistEntry, WaitlistOffer, WaitlistRepository } from '../../domain/waitlist';
import { parseItem } from './entities/item';
import { waitlistEntryEntity, waitlistMemberEntity, waitlistOfferEntity } from './entities/waitlist';
import { ENTITY, INDEX, keys, waitlistMemberIndexKeys, waitlistOfferIndexKeys } from './keys';
import { db, EXISTS, getItem, NOT_EXISTS, queryAll, TableName, transact, updateIf, type TransactItem } from './table';

/** Most lines one tenant is in, and most offers read for one tenant: a guard, not a product limit. */
const MAX_PER_TENANT = 200;

const entryItem = (e: WaitlistEntry) => ({ ...keys.waitlistEntry(e.carparkId, e.vehicleType, e.joinedAt, e.userId), type: ENTITY.waitlistEntry, ...e });
const memberItem = (e: WaitlistEntry) => ({
  ...keys.waitlistMember(e.carparkId, e.vehicleType, e.userId),
  ...waitlistMemberIndexKeys(e),
  type: ENTITY.waitlistMember,
  ...e,
});
const offerItem = (o: WaitlistOffer) => ({ ...keys.waitlistOffer(o.offerId), ...waitlistOfferIndexKeys(o), type: ENTITY.waitlistOffer, ...o });

/** Leaving the line: the entry and the member item go, only if they are there. */
const leaving = (e: WaitlistEntry): TransactItem[] => [
  { Delete: { TableName: TableName(), Key: keys.waitlistMember(e.carparkId, e.vehicleType, e.userId), ConditionExpression: EXISTS } },
  { Delete: { TableName: TableName(), Key: keys.waitlistEntry(e.carparkId, e.vehicleType, e.joinedAt, e.userId), ConditionExpression: EXISTS } },
];

/**
 * The car park's counts for a type moved together: who waits (never below zero) and the spaces
 * taken (only while one is free) or given back.
 */
function carparkCounts(carparkId: string, vehicleType: string, change: { waiting: 1 | -1 | 0; occupied: 1 | -1 | 0; offered?: 1 | -1 | 0 }): TransactItem {
  const sets: string[] = [];
  const conditions: string[] = [EXISTS];
  const names: Record<string, string> = { '#type': vehicleType };
  const values: Record<string, unknown> = { ':zero': 0 };
  if (change.waiting !== 0) {
    names['#waiting'] = 'waiting';
    values[':waitingDelta'] = change.waiting;
    sets.push('#waiting.#type = if_not_exists(#waiting.#type, :zero) + :waitingDelta');
    if (change.waiting < 0) conditions.push('#waiting.#type > :zero');
  }
  if (change.occupied !== 0) {
    names['#occupied'] = 'occupied';
    values[':occupiedDelta'] = change.occupied;
    sets.push('#occupied.#type = if_not_exists(#occupied.#type, :zero) + :occupiedDelta');
    if (change.occupied > 0) {
      names['#capacity'] = 'capacity';
      conditions.push('((attribute_not_exists(#occupied.#type) AND #capacity.#type > :zero) OR #occupied.#type < #capacity.#type)');
    } else {
      conditions.push('#occupied.#type > :zero');
    }
  }
  if (change.offered) {
    // Of `occupied`, the spaces open offers hold: for the dashboard, which counts tenancies.
    names['#offered'] = 'offered';
    values[':offeredDelta'] = change.offered;
    sets.push('#offered.#type = if_not_exists(#offered.#type, :zero) + :offeredDelta');
  }
  return {
    Update: {
      TableName: TableName(),
      Key: keys.carpark(carparkId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The car park item's `waiting` and `offered` maps must exist before a counter inside them can be
 * set (car parks made before either existed have neither).
 */
async function ensureCountMaps(carparkId: string): Promise<void> {
  const updated = await updateIf({
    Key: keys.carpark(carparkId),
    UpdateExpression: 'SET #waiting = if_not_exists(#waiting, :empty), #offered = if_not_exists(#offered, :empty)',
    ConditionExpression: EXISTS,
    ExpressionAttributeNames: { '#waiting': 'waiting', '#offered': 'offered' },
    ExpressionAttributeValues: { ':empty': {} },
  });
  if (!updated) throw new NotFoundError('Car park');
}

async function countBefore(entry: WaitlistEntry): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :mine',
        ExpressionAttributeValues: {
          ':pk': keys.waitlistPartition(entry.carparkId, entry.vehicleType),
          ':first': 'entry#',
          ':mine': keys.waitlistEntry(entry.carparkId, entry.vehicleType, entry.joinedAt, entry.userId).sk,
        },
        Select: 'COUNT',
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** A tenant's items of one kind in gsi1, beside their tenancies (`waitlist#` places, `offer#` offers). */
const tenantItems = (userId: string, prefix: 'waitlist#' | 'offer#', oldestFirst = true) =>
  queryAll(
    {
      IndexName: INDEX.tenanciesByUser.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': INDEX.tenanciesByUser.partitionKey, '#sk': 'gsi1sk' },
      ExpressionAttributeValues: { ':pk': INDEX.tenanciesByUser.partitionValue(userId), ':prefix': prefix },
      ScanIndexForward: oldestFirst,
    },
    { what: `${prefix} items of ${userId}`, maxItems: MAX_PER_TENANT, maxPages: 5 },
  );

export const waitlistRepository: WaitlistRepository = {
  /** 2 round trips: the car park's count maps made sure of, then the entry, member and count together. */
  async join(entry) {
    await ensureCountMaps(entry.carparkId);
    const result = await transact([
      { Put: { TableName: TableName(), Item: memberItem(entry), ConditionExpression: NOT_EXISTS } },
      { Put: { TableName: TableName(), Item: entryItem(entry), ConditionExpression: NOT_EXISTS } },
      carparkCounts(entry.carparkId, entry.vehicleType, { waiting: 1, occupied: 0 }),
    ]);
    if (result.ok) return;
    if (result.failed[0]) throw new ConflictError('already_waiting', 'You are in this waitlist already.');
    throw new NotFoundError('Car park');
  },

  /** 2 round trips: the member item names the entry. */
  async leave(carparkId, vehicleType, userId) {
    const member = await getItem(waitlistMemberEntity, keys.waitlistMember(carparkId, vehicleType, userId), true);
    if (!member) return false;
    const result = await transact([...leaving(member), carparkCounts(carparkId, vehicleType, { waiting: -1, occupied: 0 })]);
    return result.ok;
  },

  entriesOf: async (userId) => (await tenantItems(userId, 'waitlist#')).map((i) => parseItem(waitlistMemberEntity, i)),

  position: countBefore,

  /** 1 round trip, consistent: the head of the line is read from the table, not an index. */
  async line(carparkId, vehicleType, limit) {
    const page = await db().send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.waitlistPartition(carparkId, vehicleType), ':prefix': 'entry#' },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => parseItem(waitlistEntryEntity, i));
  },

  /** 2 round trips: the count maps made sure of; then the entry leaves, a space is taken, the offer is made, or nothing. */
  async offer(entry, offer) {
    await ensureCountMaps(entry.carparkId);
    const result = await transact([
      carparkCounts(entry.carparkId, entry.vehicleType, { waiting: -1, occupied: 1, offered: offer.counted ? 1 : 0 }),
      ...leaving(entry),
      { Put: { TableName: TableName(), Item: offerItem(offer), ConditionExpression: NOT_EXISTS } },
    ]);
    if (result.ok) return 'offered';
    return result.failed[0] ? 'no_space' : 'gone';
  },

  getOffer: (offerId, consistent = false) => getItem(waitlistOfferEntity, keys.waitlistOffer(offerId), consistent),

  // Newest first.
  offersOf: async (userId) => (await tenantItems(userId, 'offer#', false)).map((i) => parseItem(waitlistOfferEntity, i)),

  async offersAt(carparkId, limit) {
    const page = await db().send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: INDEX.tenanciesByCarpark.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': INDEX.tenanciesByCarpark.partitionKey, '#sk': 'gsi2sk' },
        ExpressionAttributeValues: { ':pk': INDEX.tenanciesByCarpark.partitionValue(carparkId), ':prefix': 'offer#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => parseItem(waitlistOfferEntity, i));
  },

  async openOffersSince(carparkId, since) {
    const items = await queryAll(
      {
        IndexName: INDEX.tenanciesByCarpark.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        FilterExpression: '#status = :open',
        ExpressionAttributeNames: { '#pk': INDEX.tenanciesByCarpark.partitionKey, '#sk': 'gsi2sk', '#status': 'status' },
        ExpressionAttributeValues: { ':pk': INDEX.tenanciesByCarpark.partitionValue(carparkId), ':from': `offer#${since}`, ':to': 'offer#\uffff', ':open': 'open' },
      },
      // Each open offer holds a space: never more than the largest car park's capacity.
      { what: `open offers at ${carparkId}`, maxItems: 10_000, maxPages: 100 },
    );
    return items.map((i) => parseItem(waitlistOfferEntity, i));
  },

  /** 1 round trip (2 when passed on: the count maps made sure of first): the offer resolved and its space passed on (or given back), together. */
  async release(offer, outcome, at, next) {
    if (next) await ensureCountMaps(offer.carparkId);
    const resolve: TransactItem = {
      Update: {
        TableName: TableName(),
        Key: keys.waitlistOffer(offer.offerId),
        UpdateExpression: 'SET #status = :outcome, resolvedAt = :at',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':open': 'open' },
      },
    };
    const handOver: TransactItem[] = next
      ? [
          // The space stays taken: it moves from one offer to the next.
          carparkCounts(offer.carparkId, offer.vehicleType, { waiting: -1, occupied: 0, offered: (next.offer.counted ? 1 : 0) - (offer.counted ? 1 : 0) as 1 | -1 | 0 }),
          ...leaving(next.entry),
          { Put: { TableName: TableName(), Item: offerItem(next.offer), ConditionExpression: NOT_EXISTS } },
        ]
      : [carparkCounts(offer.carparkId, offer.vehicleType, { waiting: 0, occupied: -1, offered: offer.counted ? -1 : 0 })];
    const result = await transact([resolve, ...handOver]);
    if (result.ok) return 'done';
    return result.failed[0] ? 'not_open' : 'next_gone';
  },
};

