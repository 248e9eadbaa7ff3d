/**
 * Billing accounts and their lines (quantity per Stripe price). Lines are changed only by the
 * tenancy transactions (tenancy-repository.ts); this module reads them and records what Stripe
 * gave back (customer, subscription, default card).
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BillingRepository } from '../../domain/billing';
import { arrearsEntity, billingAccountEntity, billingLineEntity } from './entities/billing';
import { parseItem } from './entities/item';
import { updateExpression } from './expressions';
import { ENTITY, keys } from './keys';
import { TableName, db, queryAll, updateIf } from './table';

/**
 * The billing partition holds the account, one line per Stripe price the tenant has ever rented
 * on and one item per unpaid invoice under dunning: a few dozen items. GET /billing reads it
 * whole, capped here (an error past it, never an endless read).
 */
export const MAX_BILLING_ITEMS = 500;

export const billingRepository: BillingRepository = {
  /**
   * 1 round trip (one 1 MB page holds the whole partition): account and lines share a partition;
   * read consistently (syncs compare versions). Capped by MAX_BILLING_ITEMS.
   */
  async get(userId) {
    const items = await queryAll(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.billingPartition(userId) },
        ConsistentRead: true,
      },
      { what: `billing partition of ${userId}`, maxItems: MAX_BILLING_ITEMS, maxPages: 5 },
    );
    const account = items.find((i) => i.type === ENTITY.billingAccount);
    if (!account) return undefined;
    const { customerId, subscriptionId, defaultCard, version } = parseItem(billingAccountEntity, account);
    const lines = items
      .filter((i) => i.type === ENTITY.billingLine)
      .map((i) => parseItem(billingLineEntity, i));
    const unpaidInvoiceIds = items
      .filter((i) => i.type === ENTITY.arrears)
      .map((i) => parseItem(arrearsEntity, i))
      .filter((a) => a.state !== 'settled')
      .map((a) => a.invoiceId);
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
