/** The nightly repricing (EventBridge schedule → this function): every car park's tenancies onto its current prices. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { repricingDeps } from '../../adapters/wiring/repricing';
import { repriceAllCarparks } from '../../domain/repricing';
import { logger } from '../../http/logger';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const runs = await repriceAllCarparks(repricingDeps);
    const repriced = runs.reduce((n, r) => n + r.repriced, 0);
    const notified = runs.reduce((n, r) => n + r.notified, 0);
    const errors = runs.flatMap((r) => r.errors);
    logger.info('Nightly repricing finished', { carparks: runs.length, repriced, notified, errors: errors.length });
    // A tenant left behind fails the invocation, so the error alarm sees it.
    if (errors.length > 0) throw new Error(`Repricing could not change ${errors.length} tenant(s)' subscriptions`);
    return { carparks: runs.length, repriced, notified };
  });
