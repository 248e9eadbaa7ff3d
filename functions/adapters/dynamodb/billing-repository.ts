/**
 * Billing accounts and their lines (quantity per Stripe price). Lines are changed only by the
 * tenancy transactions (tenancy-repository.ts); this module reads them and records what Stripe
 * gave back (customer, subscription, default card).
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BillingLine, BillingRepository, CardSummary } from '../../domain/billing';
import { updateExpression } from './expressions';
import { ENTITY, fromItem, keys } from './keys';
import { TableName, db, updateIf } from './table';

interface AccountItem {
  userId: string;
  customerId?: string;
  subscriptionId?: string;
  defaultCard?: CardSummary;
  version?: number;
}

export const billingRepository: BillingRepository = {
  /** 1 round trip: account and lines share a partition; read consistently (syncs compare versions). */
  async get(userId) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db().send(
        new QueryCommand({
          TableName: TableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.billingPartition(userId) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const account = items.find((i) => i.type === ENTITY.billingAccount);
    if (!account) return undefined;
    const { customerId, subscriptionId, defaultCard, version } = fromItem<AccountItem>(account);
    const lines = items
      .filter((i) => i.type === ENTITY.billingLine)
      .map((i) => fromItem<BillingLine>(i))
      .map(({ priceId, quantity }) => ({ priceId, quantity }));
    const unpaidInvoiceIds = items
      .filter((i) => i.type === ENTITY.arrears && i.state !== 'settled')
      .map((i) => String(i.invoiceId));
    return {
      userId,
      ...(customerId ? { customerId } : {}),
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(defaultCard ? { defaultCard } : {}),
      version: version ?? 0,
      lines,
      ...(unpaidInvoiceIds.length > 0 ? { unpaidInvoiceIds } : {}),
    };
  },

  /** The first customer recorded wins; a concurrent second one is ignored (same idempotency key anyway). */
  async recordCustomer(userId, customerId) {
    await db().send(
      new PutCommand({
        TableName: TableName(),
        Item: { ...keys.stripeCustomer(customerId), type: ENTITY.stripeCustomer, customerId, userId },
      }),
    );
    // A customer recorded already wins: the condition failing is the expected outcome then.
    await updateIf({
      Key: keys.billingAccount(userId),
      UpdateExpression: 'SET #type = :type, userId = :user, customerId = :customer, version = if_not_exists(version, :zero)',
      ConditionExpression: 'attribute_not_exists(customerId)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': ENTITY.billingAccount, ':user': userId, ':customer': customerId, ':zero': 0 },
    });
    const account = await this.get(userId);
    if (!account) throw new Error(`Billing account of ${userId} vanished`);
    return account;
  },

  async recordSubscription(userId, subscriptionId) {
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.billingAccount(userId),
        ...updateExpression(
          subscriptionId ? { subscriptionId } : {},
          subscriptionId ? ['creationClaim'] : ['subscriptionId', 'creationClaim'],
        ),
      }),
    );
  },

  async releaseSubscriptionClaim(userId, key) {
    // Only our own claim: another holder's (after ours went stale) is theirs to release.
    await updateIf({
      Key: keys.billingAccount(userId),
      UpdateExpression: 'REMOVE creationClaim',
      ConditionExpression: 'creationClaim.#key = :key',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: { ':key': key },
    });
  },

  async claimSubscriptionCreation(userId, key, now, staleAfterMs) {
    const claimed = await updateIf({
      Key: keys.billingAccount(userId),
      UpdateExpression: 'SET creationClaim = :claim',
      ConditionExpression:
        'attribute_not_exists(subscriptionId) AND (attribute_not_exists(creationClaim) OR creationClaim.#key = :key OR creationClaim.claimedAt < :stale)',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: {
        ':claim': { key, claimedAt: now.getTime() },
        ':key': key,
        ':stale': now.getTime() - staleAfterMs,
      },
    });
    return claimed !== undefined;
  },

  async recordDefaultCard(userId, card) {
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.billingAccount(userId),
        ...updateExpression(card ? { defaultCard: card } : {}, card ? [] : ['defaultCard']),
      }),
    );
  },
};
