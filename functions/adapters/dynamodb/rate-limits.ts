/**
 * Fixed-window counters (the `rateLimit` entity), one item per subject. Every write is
 * conditional: a hit inside the open window is an `ADD` conditioned on the window still being
 * open; a new window is started only where there is none or it has run out (conditioned on
 * exactly that), and a lost race to start it counts in the window the winner started. No hit is
 * ever an unconditional write, so a burst cannot reset a window and slip past its limit.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../domain/clock';
import type { RateLimiter } from '../../domain/ports';
import { parseItem } from './entities/item';
import { rateLimitEntity } from './entities/payments';
import { ENTITY, keys } from './keys';
import { TableName, db, updateIf } from './table';
import { tableSchema } from './table-schema';

const DAY_SECONDS = 24 * 60 * 60;

export const rateLimiter: RateLimiter = {
  /** 1 round trip inside a window; 2 when a new window starts. */
  async hit(subject, now, windowMs) {
    const key = keys.rateLimit(subject);
    for (let attempt = 0; attempt < 5; attempt++) {
      const counted = await updateIf({
        Key: key,
        UpdateExpression: 'ADD #count :one',
        ConditionExpression: 'windowEndsAt > :now',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':now': now.getTime() },
        ReturnValues: 'ALL_NEW',
      });
      if (counted) {
        const { count, windowEndsAt } = parseItem(rateLimitEntity, counted.Attributes ?? {});
        return { count, windowEndsAt };
      }
      const windowEndsAt = now.getTime() + windowMs;
      const started = await updateIf({
        Key: key,
        UpdateExpression: 'SET #type = :type, #count = :one, windowEndsAt = :ends, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now',
        ExpressionAttributeNames: { '#type': 'type', '#count': 'count', '#ttl': tableSchema.timeToLiveAttribute },
        ExpressionAttributeValues: {
          ':type': ENTITY.rateLimit,
          ':one': 1,
          ':ends': windowEndsAt,
          ':now': now.getTime(),
          ':ttl': epochSeconds(now) + windowMs / 1000 + DAY_SECONDS,
        },
      });
      if (started) return { count: 1, windowEndsAt };
      // Someone else started the window between our two writes: count in theirs.
    }
    throw new Error(`Rate limit ${subject}: the window kept changing`);
  },

  async release(subject, now) {
    await updateIf({
      Key: keys.rateLimit(subject),
      UpdateExpression: 'ADD #count :minus',
      ConditionExpression: 'windowEndsAt > :now AND #count > :zero',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':minus': -1, ':now': now.getTime(), ':zero': 0 },
    });
  },

  async clear(subject) {
    await db().send(new DeleteCommand({ TableName: TableName(), Key: keys.rateLimit(subject) }));
  },
};
