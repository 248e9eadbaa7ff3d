/**
 * Arrears (unpaid invoices under dunning) live in the tenant's billing partition, so one query
 * reads them all. States only move forward: overdue → suspended → settled → removed.
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ArrearsStore } from '../../domain/dunning';
import { arrearsEntity } from './entities/billing';
import { parseItem } from './entities/item';
import { ENTITY, keys } from './keys';
import { NOT_EXISTS, TableName, db, getItem, putIf, queryAll, updateIf } from './table';

/** A tenant has one arrears item per unpaid invoice: more than this is a bug, not a tenant. */
const MAX_ARREARS_PER_TENANT = 500;

export const arrearsStore: ArrearsStore = {
  /** 1 round trip when new, 2 when recorded already (a retried step). */
  async open(arrears) {
    const key = keys.arrears(arrears.userId, arrears.invoiceId);
    if (await putIf({ Item: { ...key, type: ENTITY.arrears, ...arrears }, ConditionExpression: NOT_EXISTS })) {
      return { arrears, created: true };
    }
    return { arrears: (await getItem(arrearsEntity, key, true))!, created: false };
  },

  get: (userId, invoiceId) => getItem(arrearsEntity, keys.arrears(userId, invoiceId), true),

  /** Every page (workflow steps and consumers only), capped. */
  async list(userId) {
    const items = await queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.billingPartition(userId), ':prefix': keys.arrearsPrefix },
        ConsistentRead: true,
      },
      { what: `arrears of ${userId}`, maxItems: MAX_ARREARS_PER_TENANT, maxPages: 10 },
    );
    return items.map((item) => parseItem(arrearsEntity, item)).sort((a, b) => a.since.localeCompare(b.since));
  },

  async markSuspended(userId, invoiceId, at) {
    const updated = await updateIf({
      Key: keys.arrears(userId, invoiceId),
      UpdateExpression: 'SET #state = :suspended, suspendedAt = if_not_exists(suspendedAt, :at)',
      ConditionExpression: 'attribute_exists(pk) AND #state IN (:overdue, :suspended)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':suspended': 'suspended', ':overdue': 'overdue', ':at': at },
      ReturnValues: 'ALL_NEW',
    });
    return updated?.Attributes ? parseItem(arrearsEntity, updated.Attributes) : undefined;
  },

  async markSettled(userId, invoiceId) {
    const updated = await updateIf({
      Key: keys.arrears(userId, invoiceId),
      UpdateExpression: 'SET #state = :settled',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':settled': 'settled' },
      ReturnValues: 'ALL_OLD',
    });
    return updated?.Attributes ? parseItem(arrearsEntity, updated.Attributes) : undefined;
  },

  async remove(userId, invoiceId) {
    await db().send(new DeleteCommand({ TableName: TableName(), Key: keys.arrears(userId, invoiceId) }));
  },

  async claimNotice(userId, invoiceId) {
    const claimed = await updateIf({
      Key: keys.arrears(userId, invoiceId),
      UpdateExpression: 'SET noticeClaimed = :yes',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(noticeClaimed)',
      ExpressionAttributeValues: { ':yes': true },
    });
    return claimed !== undefined;
  },

  async markAuthentication(userId, invoiceId, authenticate) {
    await updateIf({
      Key: keys.arrears(userId, invoiceId),
      UpdateExpression: authenticate ? 'SET authenticate = :yes' : 'REMOVE authenticate',
      ConditionExpression: 'attribute_exists(pk)',
      ...(authenticate ? { ExpressionAttributeValues: { ':yes': true } } : {}),
    });
  },

  async releaseNotice(userId, invoiceId) {
    await db().send(new UpdateCommand({ TableName: TableName(), Key: keys.arrears(userId, invoiceId), UpdateExpression: 'REMOVE noticeClaimed' }));
  },
};
