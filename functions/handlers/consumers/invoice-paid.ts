/**
 * `invoice.paid` (EventBridge rule InvoicePaid): record the payment and email a receipt, once,
 * written from the invoice re-read from Stripe (its lines and their periods).
 * A failure throws, so EventBridge retries and finally parks the event in the rule's DLQ.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { paymentDeps } from '../../adapters/wiring/payments';
import { recordInvoicePaid } from '../../domain/payments';
import { logger } from '../../http/logger';
import { countMetric, flushMetrics } from '../../observability/metrics';
import { invoiceOf, type InvoiceEvent } from './stripe-event';

type StripeEvent = InvoiceEvent & { type?: string };

export const handler = middy<EventBridgeEvent<string, StripeEvent>, { outcome: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    const stripeEvent = event.detail;
    const invoice = invoiceOf(stripeEvent);
    logger.appendKeys({ stripeEventId: stripeEvent.id, invoiceId: invoice?.invoiceId, customerId: invoice?.customerId });
    // A signed event that is not an invoice cannot succeed on a retry either: log it and move on.
    if (!invoice) {
      logger.warn('invoice.paid without an invoice; ignored');
      return { outcome: 'ignored' };
    }
    // The receipt is written from the invoice as Stripe has it now, not from the event's body.
    const outcome = await recordInvoicePaid(paymentDeps, invoice);
    if (outcome === 'unknown_customer' || outcome === 'not_paid') logger.warn('invoice.paid not confirmed by Stripe for a customer of ours; ignored', { outcome });
    // Only the delivery that sent the receipt counts: redeliveries and replays find it sent.
    if (outcome === 'sent') countMetric('InvoicePaid');
    logger.info('Invoice paid', { outcome });
    return { outcome };
  });
