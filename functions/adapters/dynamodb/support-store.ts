import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../domain/clock';
import type { SupportTicket } from '../../domain/support';
import { ENTITY, keys } from './keys';
import { TableName, db, updateIf } from './table';
import { tableSchema } from './table-schema';

export const supportTickets = {
  async save(ticket: SupportTicket): Promise<void> {
    await db().send(new PutCommand({ TableName: TableName(), Item: { ...keys.supportTicket(ticket.ticketId), type: ENTITY.supportTicket, ...ticket } }));
  },
};

/** Fixed windows per subject; the item expires (TTL) a day after its window. */
export const rateLimiter = {
  /** 1 round trip inside a window; 2 when a new window starts. */
  async hit(subject: string, now: Date, windowMs: number) {
    const key = keys.rateLimit(subject);
    const expiry = epochSeconds(now) + windowMs / 1000 + 24 * 60 * 60;
    const counted = await updateIf({
      Key: key,
      UpdateExpression: 'ADD #count :one',
      ConditionExpression: 'windowEndsAt > :now',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':now': now.getTime() },
      ReturnValues: 'ALL_NEW',
    });
    if (counted) return { count: counted.Attributes?.count as number, windowEndsAt: counted.Attributes?.windowEndsAt as number };
    // No window open (or it has run out): start a new one.
    const fresh = { count: 1, windowEndsAt: now.getTime() + windowMs };
    await db().send(
      new PutCommand({ TableName: TableName(), Item: { ...key, type: ENTITY.rateLimit, ...fresh, [tableSchema.timeToLiveAttribute]: expiry } }),
    );
    return fresh;
  },
};
