/** The few primitives every repository uses: the client, the table name, get, query, transact. */
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getTableName } from './client';
import { parseItem, parseOptional, type EntitySchema, type StoredItem } from './entities/item';
import { cancelledConditions, isConditionFailure, isTransactionConflict } from './expressions';
import type { Key } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const db = () => getDocumentClient();
export const TableName = () => getTableName();
export const NOT_EXISTS = 'attribute_not_exists(pk)';
export const EXISTS = 'attribute_exists(pk)';

/** Reads one item and parses it as `entity` (CorruptItemError when it does not match). */
export async function getItem<T>(entity: EntitySchema<T>, key: Key, consistent = false): Promise<T | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: TableName(), Key: key, ConsistentRead: consistent }));
  return parseOptional(entity, Item);
}

/** Most keys one batch read takes (DynamoDB's own limit per BatchGetItem). */
export const BATCH_GET_MAX = 100;

/**
 * Reads up to 100 items by key in one BatchGetItem (keys the table leaves unprocessed are asked for
 * again, at most twice more), parsed as `entity`. Missing items are left out; order is not kept.
 */
export async function batchGet<T>(entity: EntitySchema<T>, keys: readonly Key[], attributes?: readonly string[]): Promise<T[]> {
  return (await batchGetItems(keys, attributes)).map((item) => parseItem(entity, item));
}

/**
 * batchGet of items of any entities, as stored: the caller parses each by its `type` (one read for
 * a car park and some of its tenancies, say). `attributes`: only these are read (a projection).
 */
export async function batchGetItems(keys: readonly Key[], attributes?: readonly string[]): Promise<StoredItem[]> {
  if (keys.length > BATCH_GET_MAX) throw new Error(`batchGet takes at most ${BATCH_GET_MAX} keys, not ${keys.length}`);
  const found: StoredItem[] = [];
  // Names as placeholders: any attribute may be a reserved word (`name` is).
  const projection = attributes
    ? {
        ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
      }
    : {};
  let pending: Record<string, unknown>[] = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  for (let attempt = 0; attempt < 3 && pending.length > 0; attempt++) {
    const result = await db().send(new BatchGetCommand({ RequestItems: { [TableName()]: { Keys: pending, ...projection } } }));
    found.push(...(result.Responses?.[TableName()] ?? []));
    pending = result.UnprocessedKeys?.[TableName()]?.Keys ?? [];
  }
  if (pending.length > 0) throw new Error(`batchGet: ${pending.length} keys still unprocessed after 3 attempts`);
  return found;
}

/** Most writes one BatchWriteItem takes (DynamoDB's own limit). */
const BATCH_WRITE_MAX = 25;

/**
 * Puts and deletes in BatchWriteItems of 25, one after another; what the table leaves unprocessed
 * is sent again (at most `attempts` times per batch), then it is an error.
 */
export async function batchWrite(requests: readonly Record<string, unknown>[], attempts = 3): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) {
    let pending = requests.slice(i, i + BATCH_WRITE_MAX);
    for (let attempt = 0; attempt < attempts && pending.length > 0; attempt++) {
      const result = await db().send(new BatchWriteCommand({ RequestItems: { [TableName()]: pending } }));
      pending = (result.UnprocessedItems?.[TableName()] ?? []) as Record<string, unknown>[];
    }
    if (pending.length > 0) throw new Error(`batchWrite: ${pending.length} writes still unprocessed after ${attempts} attempts`);
  }
}

/** A query that read past its cap: the partition holds more than its access pattern allows for. */
export class QueryCapExceededError extends Error {
  constructor(what: string, cap: { maxItems: number; maxPages: number }) {
    super(`${what}: more than ${cap.maxItems} items or ${cap.maxPages} pages; refusing to read on (raise the cap or page the caller)`);
    this.name = 'QueryCapExceededError';
  }
}

export interface QueryAllCap {
  /** Names the access pattern in the error past the cap. */
  readonly what: string;
  /** Most items returned (after any filter); one more is an error. */
  readonly maxItems: number;
  /** Most pages read (1 MB each at most); one more is an error. */
  readonly maxPages?: number;
}

/**
 * Every item a query matches, following LastEvaluatedKey to the end — for paths that need the
 * whole set (workflow steps, consumers, scheduled jobs). Hard-capped: past `maxItems` items or
 * `maxPages` pages it throws QueryCapExceededError instead of reading on without end.
 */
export async function queryAll(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  cap: QueryAllCap,
): Promise<StoredItem[]> {
  const maxPages = cap.maxPages ?? 100;
  const items: StoredItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    if (pages >= maxPages) throw new QueryCapExceededError(cap.what, { maxItems: cap.maxItems, maxPages });
    const page = await db().send(new QueryCommand({ TableName: TableName(), ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    pages += 1;
    items.push(...(page.Items ?? []));
    if (items.length > cap.maxItems) throw new QueryCapExceededError(cap.what, { maxItems: cap.maxItems, maxPages });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface FilteredPageOptions {
  /** Items wanted on the page. */
  readonly limit: number;
  /** Where the page starts (a decoded cursor). */
  readonly startKey?: Record<string, unknown>;
  /** The key attributes of an item in the queried index: a cursor after any returned item. */
  readonly cursorKeys: readonly string[];
  /** Most reads for one page (each evaluates up to `readSize` items). */
  readonly maxReads: number;
  readonly readSize: number;
}

/**
 * One page of a query with a FilterExpression, full unless the index runs out. DynamoDB applies
 * `Limit` before the filter, so a filtered query with `Limit: n` can return a short or empty page
 * with a cursor. This reads in chunks of `readSize` until `limit` items matched, and the cursor is
 * the key of the last item returned (or, when the read budget ran out first, where reading
 * stopped: the page is then short but the cursor still continues it — the bound on a request's
 * cost). Without a filter it is one query with `Limit: limit`.
 */
export async function queryFilteredPage(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  options: FilteredPageOptions,
): Promise<{ items: StoredItem[]; lastKey?: Record<string, unknown> }> {
  if (!input.FilterExpression) {
    const page = await db().send(
      new QueryCommand({ TableName: TableName(), ...input, Limit: options.limit, ...(options.startKey ? { ExclusiveStartKey: options.startKey } : {}) }),
    );
    return { items: page.Items ?? [], ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}) };
  }
  const items: StoredItem[] = [];
  let next = options.startKey;
  for (let reads = 0; reads < options.maxReads; reads++) {
    const page = await db().send(
      new QueryCommand({ TableName: TableName(), ...input, Limit: options.readSize, ...(next ? { ExclusiveStartKey: next } : {}) }),
    );
    const found = page.Items ?? [];
    const wanted = options.limit - items.length;
    items.push(...found.slice(0, wanted));
    next = page.LastEvaluatedKey;
    if (found.length > wanted || (items.length === options.limit && next)) {
      // Full: continue after the last item returned (more may match after it).
      const last = items[items.length - 1]!;
      return { items, lastKey: Object.fromEntries(options.cursorKeys.map((k) => [k, last[k]])) };
    }
    if (!next) return { items };
  }
  return { items, ...(next ? { lastKey: next } : {}) };
}

/** A conditional update: its output, or undefined when the condition failed (nothing else is absorbed). */
export async function updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<UpdateCommandOutput | undefined> {
  try {
    return await db().send(new UpdateCommand({ TableName: TableName(), ...input }));
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** A conditional put: false when the condition failed. */
export async function putIf(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: TableName(), ...input }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Tries of a transaction that conflicts with another on the same items. Counters (a car park's
 * spaces, an operator's month) are items many transactions touch; DynamoDB cancels one of two
 * that meet, and the SDK does not try it again.
 */
const TRANSACTION_TRIES = 4;

/** Runs a transaction; on a failed condition returns which actions failed instead of throwing. */
export async function transact(items: TransactItem[]): Promise<{ ok: true } | { ok: false; failed: boolean[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      const failed = cancelledConditions(error);
      if (failed?.some(Boolean)) return { ok: false, failed };
      if (attempt >= TRANSACTION_TRIES || !isTransactionConflict(error)) throw error;
      // Jittered, growing waits, so that the two that met do not meet again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

