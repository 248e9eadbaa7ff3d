/**
 * `carpark.prices_changed` (EventBridge rule CarparkPricesChanged, put by PATCH /carparks/{id}):
 * move the car park's existing tenancies onto its new prices from their next renewal and email
 * their tenants. A tenant whose subscription could not be changed fails the invocation, so the
 * bus retries it (the run is idempotent) and the nightly run catches anything left.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { repricingDeps } from '../../adapters/wiring/repricing';
import { repriceCarpark } from '../../domain/repricing';
import { logger } from '../../http/logger';

export const handler = middy<EventBridgeEvent<string, { carparkId?: unknown }>, { repriced: number; notified: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const carparkId = event.detail.carparkId;
    if (typeof carparkId !== 'string') {
      logger.warn('Price change without a car park; ignored');
      return { repriced: 0, notified: 0 };
    }
    logger.appendKeys({ carparkId });
    const run = await repriceCarpark(repricingDeps, carparkId);
    logger.info('Car park repriced', { repriced: run.repriced, notified: run.notified, errors: run.errors.length });
    if (run.errors.length > 0) throw new Error(`Repricing could not change ${run.errors.length} tenant(s)' subscriptions: ${run.errors[0]!.message}`);
    return { repriced: run.repriced, notified: run.notified };
  });
