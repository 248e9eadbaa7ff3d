/**
 * Timeline events: items in their tenancy's partition (`tenancy#<id>` / `event#<at>#<kind>`), so
 * a timeline page is one query, oldest first. Changes to a tenancy put their event in their own
 * transaction (`timelinePut`, used by the tenancy repository); billing events that change no
 * tenancy are written here in batches.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TenancyTimelineStore, TimelineEvent, TimelineNote } from '../../domain/tenancy-timeline';
import { parseItem } from './entities/item';
import { tenancyEventEntity } from './entities/tenancies';
import { ENTITY, keys } from './keys';
import { decodeCursor, encodeCursor, invalidCursor, isStartKeyRejected } from './pagination';
import { batchWrite, db, TableName, type TransactItem } from './table';
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
  /** 1 round trip. */
  async page(tenancyId, query) {
    const pk = keys.tenancy(tenancyId).pk;
    const cursorKeys = [tableSchema.partitionKey, tableSchema.sortKey];
    const startKey = query.cursor
      ? decodeCursor(query.cursor, cursorKeys, { [cursorKeys[0]!]: pk, [cursorKeys[1]!]: (v) => v.startsWith(keys.tenancyEventPrefix) })
      : undefined;
    const result = await db()
      .send(
        new QueryCommand({
          TableName: TableName(),
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#sk': tableSchema.sortKey },
          ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.tenancyEventPrefix },
          Limit: query.limit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw startKey && isStartKeyRejected(error) ? invalidCursor() : error;
      });
    return {
      items: (result.Items ?? []).map((item) => parseItem(tenancyEventEntity, item)),
      ...(result.LastEvaluatedKey ? { nextCursor: encodeCursor(result.LastEvaluatedKey) } : {}),
    };
  },

  /** 1 round trip per 25 events. */
  async record(events) {
    await batchWrite(events.map((e) => ({ PutRequest: { Item: eventItem(e) } })));
  },
};
