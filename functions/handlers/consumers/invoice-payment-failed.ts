/**
 * `invoice.payment_failed` (EventBridge rule InvoicePaymentFailed): start the invoice's dunning
 * workflow. The execution is named after the invoice, so the same failure delivered again, or
 * the failures of the workflow's own retries, start nothing new.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { dunningWorkflow } from '../../adapters/workflows';
import { logger } from '../../http/logger';
import { invoiceOf, type InvoiceEvent } from './stripe-event';

export const handler = middy<EventBridgeEvent<string, InvoiceEvent>, { outcome: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const invoice = invoiceOf(event.detail);
    logger.appendKeys({ stripeEventId: event.detail.id, invoiceId: invoice?.invoiceId, customerId: invoice?.customerId });
    if (!invoice) {
      logger.warn('invoice.payment_failed without an invoice; ignored');
      return { outcome: 'ignored' };
    }
    const outcome = await dunningWorkflow.start(invoice);
    logger.info('Invoice payment failed', { outcome });
    return { outcome };
  });
