/**
 * `payment_method.attached`, `setup_intent.succeeded`, `customer.updated` (EventBridge rule
 * CardUpdated): the tenant has a new card, so their open invoices are re-attempted at once rather
 * than on the dunning schedule. A `customer.updated` counts only when its default payment method
 * changed to a card.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { reattemptDeps } from '../../adapters/wiring/dunning';
import { reattemptOpenInvoices } from '../../domain/dunning';
import { logger } from '../../http/logger';
import { countMetric, flushMetrics } from '../../observability/metrics';
import { idOf, type StripeRef } from './stripe-event';

interface StripeEvent {
  id: string;
  type: string;
  data?: {
    object?: { object?: string; id?: string; customer?: StripeRef; payment_method?: StripeRef; status?: string; invoice_settings?: { default_payment_method?: StripeRef } };
    previous_attributes?: { invoice_settings?: { default_payment_method?: StripeRef } };
  };
}

/** The customer and the new card the event is about, or undefined when it is about something else. */
export function newCardOf(event: StripeEvent): { customerId: string; paymentMethodId: string } | undefined {
  const object = event.data?.object;
  if (!object) return undefined;
  switch (event.type) {
    case 'payment_method.attached': {
      const customerId = idOf(object.customer);
      return customerId && object.id ? { customerId, paymentMethodId: object.id } : undefined;
    }
    case 'setup_intent.succeeded': {
      const customerId = idOf(object.customer);
      const paymentMethodId = idOf(object.payment_method);
      return customerId && paymentMethodId ? { customerId, paymentMethodId } : undefined;
    }
    case 'customer.updated': {
      const previous = event.data?.previous_attributes?.invoice_settings;
      if (!previous || !('default_payment_method' in previous)) return undefined;
      const paymentMethodId = idOf(object.invoice_settings?.default_payment_method);
      return object.id && paymentMethodId ? { customerId: object.id, paymentMethodId } : undefined;
    }
    default:
      return undefined;
  }
}

export const handler = middy<EventBridgeEvent<string, StripeEvent>, { reattempted: { invoiceId: string; result: string }[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    logger.appendKeys({ stripeEventId: event.detail.id });
    const card = newCardOf(event.detail);
    if (!card) return { reattempted: [] };
    logger.appendKeys({ customerId: card.customerId });
    const reattempted = await reattemptOpenInvoices(reattemptDeps, card);
    countMetric('InvoiceReattempted', reattempted.filter((r) => r.result !== 'not_open').length);
    if (reattempted.length > 0) logger.info('Open invoices re-attempted with the new card', { reattempted });
    return { reattempted };
  });
