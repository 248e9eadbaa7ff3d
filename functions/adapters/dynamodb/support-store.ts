import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../domain/clock';
import type { SupportTicket } from '../../domain/support';
import { isConditionFailure } from './expressions';
import { ENTITY, keys } from './keys';
import { TableName, db } from './table';
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
    try {
      const { Attributes } = await db().send(
        new UpdateCommand({
          TableName: TableName(),
          Key: key,
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'windowEndsAt > :now',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':now': now.getTime() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { count: Attributes?.count as number, windowEndsAt: Attributes?.windowEndsAt as number };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const fresh = { count: 1, windowEndsAt: now.getTime() + windowMs };
      await db().send(
        new PutCommand({ TableName: TableName(), Item: { ...key, type: ENTITY.rateLimit, ...fresh, [tableSchema.timeToLiveAttribute]: expiry } }),
      );
      return fresh;
    }
  },
};
