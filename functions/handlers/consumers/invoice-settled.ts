/**
 * `invoice.paid`, `invoice.voided`, `invoice.marked_uncollectible` (EventBridge rule
 * InvoiceSettled): the invoice no longer needs chasing. Stops its dunning workflow, settles its
 * arrears and, when nothing else is unpaid, reinstates suspended tenancies, once Stripe confirms
 * (the invoice is re-read) that it is settled and the customer's. Receipts are the InvoicePaid
 * rule's job.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { settlementDeps } from '../../adapters/wiring/dunning';
import { recordInvoiceSettled } from '../../domain/dunning';
import { logger } from '../../http/logger';
import { countMetric, flushMetrics } from '../../observability/metrics';
import { invoiceOf, type InvoiceEvent } from './stripe-event';

export const handler = middy<EventBridgeEvent<string, InvoiceEvent>, { settled: boolean; reinstated?: string[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    const invoice = invoiceOf(event.detail);
    logger.appendKeys({ stripeEventId: event.detail.id, invoiceId: invoice?.invoiceId, customerId: invoice?.customerId });
    if (!invoice) {
      logger.warn(`${event['detail-type']} without an invoice; ignored`);
      return { settled: false };
    }
    const result = await recordInvoiceSettled(settlementDeps, invoice);
    if ('reason' in result) logger.warn(`${event['detail-type']} not confirmed by Stripe for a customer of ours; ignored`, { reason: result.reason });
    if (result.settled) {
      countMetric('TenancyReinstated', result.reinstated.length);
      logger.info('Arrears settled', { reinstated: result.reinstated.length, how: event['detail-type'] });
    }
    return result;
  });
