import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentStore } from '../../domain/payments';
import { paymentEntity, stripeCustomerEntity } from './entities/payments';
import { ENTITY, keys } from './keys';
import { TableName, db, getItem, updateIf } from './table';

export const paymentStore: PaymentStore = {
  async userForCustomer(customerId) {
    return (await getItem(stripeCustomerEntity, keys.stripeCustomer(customerId)))?.userId;
  },

  /**
   * 1 round trip (2 when the receipt is not claimable): creates the payment record if new and takes
   * the receipt lease in one update; `recordedAt` is when the payment was first recorded.
   */
  async claimReceipt(invoice, now, leaseMs) {
    const claimed = await updateIf({
      Key: keys.payment(invoice.invoiceId),
      UpdateExpression:
        'SET #type = :type, userId = :user, customerId = :customer, amountPaid = :amount, currency = :currency, ' +
        'periodStart = :start, periodEnd = :end, receiptLeaseUntil = :lease, paidAt = if_not_exists(paidAt, :now)',
      ConditionExpression: 'attribute_not_exists(receiptSentAt) AND (attribute_not_exists(receiptLeaseUntil) OR receiptLeaseUntil < :nowMs)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': ENTITY.payment,
        ':user': invoice.userId,
        ':customer': invoice.customerId,
        ':amount': invoice.amountPaid,
        ':currency': invoice.currency,
        ':start': invoice.periodStart,
        ':end': invoice.periodEnd,
        ':lease': now.getTime() + leaseMs,
        ':now': now.toISOString(),
        ':nowMs': now.getTime(),
      },
      ReturnValues: 'UPDATED_NEW',
    });
    if (claimed) return { claim: 'claimed', recordedAt: String(claimed.Attributes?.paidAt ?? now.toISOString()) };
    const record = await getItem(paymentEntity, keys.payment(invoice.invoiceId), true);
    return { claim: record?.receiptSentAt ? 'sent_already' : 'in_progress', recordedAt: record?.paidAt ?? now.toISOString() };
  },

  async markReceiptSent(invoiceId, now) {
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.payment(invoiceId),
        UpdateExpression: 'SET receiptSentAt = :now REMOVE receiptLeaseUntil',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  },

  async releaseReceipt(invoiceId) {
    await db().send(
      new UpdateCommand({ TableName: TableName(), Key: keys.payment(invoiceId), UpdateExpression: 'REMOVE receiptLeaseUntil' }),
    );
  },
};
