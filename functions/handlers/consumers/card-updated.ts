/**
 * `payment_method.attached`, `setup_intent.succeeded`, `customer.updated` (EventBridge rule
 * CardUpdated): the tenant has a new card, so their open invoices are re-attempted at once rather
 * than on the dunning schedule. A `customer.updated` counts only when its default payment method
 * changed to a card, and only for the platform's own customers (looked up in DynamoDB). No
 * dunning wiring is loaded.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { paymentStore } from '../../adapters/dynamodb/payment-store';
import { stripeGateway } from '../../adapters/stripe/gateway';
import { reattemptOpenInvoices } from '../../domain/dunning';
import { logger } from '../../http/logger';
import { countMetric, flushMetrics } from '../../observability/metrics';
import { newCardOf, type CardEvent } from './stripe-event';

export const handler = middy<EventBridgeEvent<string, CardEvent>, { reattempted: { invoiceId: string; result: string }[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    logger.appendKeys({ stripeEventId: event.detail.id });
    const card = newCardOf(event.detail);
    if (!card) return { reattempted: [] };
    logger.appendKeys({ customerId: card.customerId });
    const result = await reattemptOpenInvoices({ gateway: stripeGateway, payments: paymentStore }, card);
    if (result === 'not_ours') {
      logger.info('Card update of a Stripe customer that is not the platform’s; ignored');
      return { reattempted: [] };
    }
    const reattempted = result;
    countMetric('InvoiceReattempted', reattempted.filter((r) => r.result !== 'not_open').length);
    if (reattempted.length > 0) logger.info('Open invoices re-attempted with the new card', { reattempted });
    return { reattempted };
  });
