/**
 * `invoice.paid` (EventBridge rule InvoicePaid): record the payment and email a receipt, once.
 * A failure throws, so EventBridge retries and finally parks the event in the rule's DLQ.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { paymentDeps } from '../../adapters/wiring/payments';
import { recordInvoicePaid, type PaidInvoice } from '../../domain/payments';
import { logger } from '../../http/logger';
import { countMetric, flushMetrics } from '../../observability/metrics';

interface StripeInvoice {
  id: string;
  customer: string | { id: string };
  number: string | null;
  amount_paid: number;
  currency: string;
  period_start: number;
  period_end: number;
  lines?: { data?: { price?: { id?: string } | null; pricing?: { price_details?: { price?: string } } }[] };
}

type StripeEvent = { id: string; type: string; data?: { object?: StripeInvoice } };

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function toPaidInvoice(invoice: StripeInvoice): PaidInvoice {
  const priceIds = (invoice.lines?.data ?? [])
    .map((line) => line.price?.id ?? line.pricing?.price_details?.price)
    .filter((id): id is string => typeof id === 'string');
  return {
    invoiceId: invoice.id,
    customerId: typeof invoice.customer === 'string' ? invoice.customer : invoice.customer.id,
    number: invoice.number,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    periodStart: iso(invoice.period_start),
    periodEnd: iso(invoice.period_end),
    priceIds: [...new Set(priceIds)],
  };
}

export const handler = middy<EventBridgeEvent<string, StripeEvent>, { outcome: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    const stripeEvent = event.detail;
    const invoice = stripeEvent.data?.object;
    const customer = invoice?.customer;
    logger.appendKeys({
      stripeEventId: stripeEvent.id,
      invoiceId: invoice?.id,
      customerId: typeof customer === 'string' ? customer : customer?.id,
    });
    // A signed event that is not an invoice cannot succeed on a retry either: log it and move on.
    if (typeof invoice?.id !== 'string' || !invoice.customer) {
      logger.warn('invoice.paid without an invoice; ignored');
      return { outcome: 'ignored' };
    }
    const outcome = await recordInvoicePaid(paymentDeps, toPaidInvoice(invoice));
    // Only the delivery that sent the receipt counts: redeliveries and replays find it sent.
    if (outcome === 'sent') countMetric('InvoicePaid');
    logger.info('Invoice paid', { outcome });
    return { outcome };
  });
