/** Every 5 minutes (EventBridge schedule → this function): offers past their deadline lapsed, free spaces offered to the line. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { offerNoticeDeps } from '../../adapters/wiring/waitlist';
import { sweepWaitlists } from '../../domain/waitlist';
import { logger } from '../../http/logger';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const run = await sweepWaitlists(offerNoticeDeps);
    if (run.offered + run.lapsed > 0) logger.info('Waitlist sweep', run);
    return run;
  });
