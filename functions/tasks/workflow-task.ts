/**
 * The adapter between a Step Functions Task state and a workflow step: the state's input in, the
 * step's result out. Errors are rethrown untouched, because Step Functions' Retry and Catch match
 * on the thrown error's name (BarrierUnavailable, PaymentDeclined, ...).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../http/logger';

export function workflowTask<Input extends { tenancyId?: string }, Output>(step: string, run: (input: Input) => Promise<Output>) {
  return middy<Input, Output>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      logger.appendKeys({ step, ...(input.tenancyId ? { tenancyId: input.tenancyId } : {}) });
      try {
        return await run(input);
      } catch (error) {
        logger.warn('Workflow step failed', { errorName: (error as Error).name, error: error as Error });
        throw error;
      }
    });
}
