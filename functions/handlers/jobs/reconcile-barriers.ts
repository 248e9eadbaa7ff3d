/** The daily barrier reconciliation (EventBridge schedule → this function). */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { reconcileBarriers } from '../../domain/reconciliation';
import { reconciliationDeps } from '../../adapters/wiring/reconciliation';
import { logger } from '../../http/logger';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const run = await reconcileBarriers(reconciliationDeps);
    logger.info('Barrier reconciliation finished', {
      carparksChecked: run.carparksChecked,
      registered: run.fixes.filter((f) => f.action === 'registered').length,
      revoked: run.fixes.filter((f) => f.action === 'revoked').length,
      errors: run.errors.length,
    });
    // A site that could not be checked fails the invocation, so the error alarm sees it.
    if (run.errors.length > 0) throw new Error(`Reconciliation could not check ${run.errors.length} site(s)`);
    return { carparksChecked: run.carparksChecked, fixes: run.fixes.length };
  });
