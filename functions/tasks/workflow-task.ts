/**
 * The adapter between a Step Functions Task state and a workflow step: the state's input in, the
 * step's result out. Errors are rethrown untouched, because Step Functions' Retry and Catch match
 * on the thrown error's name (BarrierUnavailable, PaymentDeclined, ...).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../http/logger';
import { flushMetrics } from '../observability/metrics';

/** Ids a step's input may carry; each becomes a correlation key on every log line of the step. */
const CORRELATION_IDS = ['tenancyId', 'invoiceId', 'userId'] as const;

const UNEXPECTED_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

export function workflowTask<Input extends object, Output>(step: string, run: (input: Input) => Promise<Output>) {
  return middy<Input, Output>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    // Any step may count a business metric; what it counted is flushed even when it throws.
    .use(flushMetrics())
    .handler(async (input) => {
      const ids = input as Partial<Record<(typeof CORRELATION_IDS)[number], unknown>>;
      logger.appendKeys({ step, ...Object.fromEntries(CORRELATION_IDS.filter((id) => typeof ids[id] === 'string').map((id) => [id, ids[id]])) });
      try {
        return await run(input);
      } catch (error) {
        // A named error (BarrierUnavailable, PaymentDeclined, ...) is a fault the workflow expects and
        // retries or catches: a WARN line with its message. Anything else is a bug: ERROR, with the stack.
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        if (UNEXPECTED_ERRORS.has(name)) logger.error('Workflow step failed', error as Error);
        else logger.warn('Workflow step failed', { errorName: name, errorMessage: message });
        throw error;
      }
    });
}
