/** `customer.subscription.deleted` (EventBridge rule SubscriptionDeleted): end what it paid for. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { subscriptionEndDeps } from '../../adapters/wiring/payments';
import { endTenanciesOfDeletedSubscription } from '../../domain/payments';
import { logger } from '../../http/logger';

type StripeEvent = { id: string; data?: { object?: { id?: string; customer?: string | { id: string } } } };

export const handler = middy<EventBridgeEvent<string, StripeEvent>, { ended: string[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const subscription = event.detail.data?.object;
    const customer = subscription?.customer;
    logger.appendKeys({ stripeEventId: event.detail.id, subscriptionId: subscription?.id });
    if (typeof subscription?.id !== 'string' || !customer) {
      logger.warn('customer.subscription.deleted without a subscription; ignored');
      return { ended: [] };
    }
    const result = await endTenanciesOfDeletedSubscription(subscriptionEndDeps, {
      customerId: typeof customer === 'string' ? customer : customer.id,
      subscriptionId: subscription.id,
    });
    if (result.ignored) logger.warn('customer.subscription.deleted not confirmed by Stripe for a customer of ours; ignored', { reason: result.ignored });
    else logger.info('Subscription deleted at Stripe', { ended: result.ended.length });
    return result;
  });
