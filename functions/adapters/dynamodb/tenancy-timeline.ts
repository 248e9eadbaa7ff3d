/**
 * Timeline events: items in their tenancy's partition (`tenancy#<id>` / `event#<at>#<kind>`), so
 * a timeline page is one query, oldest first, which also reads the tenancy's own item when the
 * page reaches the end of the timeline. Changes to a tenancy put their event in their own
 * transaction (`timelinePut`, used by the tenancy repository); billing events that change no
 * tenancy are written here in batches.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TenancyTimelineStore, TimelineEvent, TimelineNote } from '../../domain/tenancy-timeline';
import { parseItem } from './entities/item';
import { tenancyEntity, tenancyEventEntity } from './entities/tenancies';
import { ENTITY, keys } from './keys';
import { decodeCursor, encodeCursor, invalidCursor, isStartKeyRejected } from './pagination';
import { batchWrite, db, getItem, TableName, type TransactItem } from './table';
import { tableSchema } from './table-schema';

const eventItem = (event: TimelineEvent) => {
  const ref = typeof event.detail?.invoiceId === 'string' ? event.detail.invoiceId : undefined;
  return { ...keys.tenancyEvent(event.tenancyId, event.at, event.kind, ref), type: ENTITY.tenancyEvent, ...event };
};

/** The event of a change, to put in the change's transaction (unconditional: a retry rewrites it). */
export function timelinePut(tenancyId: string, at: string, note: TimelineNote): TransactItem {
  return { Put: { TableName: TableName(), Item: eventItem({ tenancyId, at, ...note }) } };
}

export const tenancyTimelineStore: TenancyTimelineStore = {
  /**
   * 1 round trip when the page reaches the end of the timeline: the tenancy's own item sorts
   * right after its events (`event#…` < `tenancy`), so one query from the page's start to it
   * reads both. Otherwise (more events than the page holds) a second one reads the tenancy.
   */
  async pageWithTenancy(tenancyId, query) {
    const key = keys.tenancy(tenancyId);
    const cursorKeys = [tableSchema.partitionKey, tableSchema.sortKey];
    const startKey = query.cursor
      ? decodeCursor(query.cursor, cursorKeys, { [cursorKeys[0]!]: key.pk, [cursorKeys[1]!]: (v) => v.startsWith(keys.tenancyEventPrefix) })
      : undefined;
    const result = await db()
      .send(
        new QueryCommand({
          TableName: TableName(),
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :first AND :tenancy',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#sk': tableSchema.sortKey },
          ExpressionAttributeValues: { ':pk': key.pk, ':first': keys.tenancyEventPrefix, ':tenancy': key.sk },
          // One more than the page: the tenancy's item, when no more events come before it.
          Limit: query.limit + 1,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw startKey && isStartKeyRejected(error) ? invalidCursor() : error;
      });
    const found = result.Items ?? [];
    const stored = found.find((item) => item[tableSchema.sortKey] === key.sk);
    const events = found.filter((item) => String(item[tableSchema.sortKey]).startsWith(keys.tenancyEventPrefix)).slice(0, query.limit);
    // As a query of the events alone with `Limit: limit` pages them: a full page continues after its last event.
    const last = events.length === query.limit ? events[events.length - 1] : undefined;
    const nextKey = last ? { [tableSchema.partitionKey]: last[tableSchema.partitionKey], [tableSchema.sortKey]: last[tableSchema.sortKey] } : result.LastEvaluatedKey;
    const page = {
      items: events.map((item) => parseItem(tenancyEventEntity, item)),
      ...(nextKey ? { nextCursor: encodeCursor(nextKey) } : {}),
    };
    // Read to the end without it: there is no such tenancy.
    if (stored) return { tenancy: parseItem(tenancyEntity, stored), page };
    if (!result.LastEvaluatedKey) return { tenancy: undefined, page };
    return { tenancy: await getItem(tenancyEntity, key), page };
  },

  /** 1 round trip per 25 events. */
  async record(events) {
    await batchWrite(events.map((e) => ({ PutRequest: { Item: eventItem(e) } })));
  },
};
