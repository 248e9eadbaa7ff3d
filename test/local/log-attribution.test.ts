/**
 * The twin runs every function in one process, with one shared Powertools logger, and several
 * invocations in flight at once. Each invocation's log lines must still name its own function.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONCURRENCY_VARIABLE, inInvocation } from '../../local/gateway/invocation-scope';
import { createLambdaContext } from '../../local/gateway/lambda-context';

const lines: Record<string, unknown>[] = [];

beforeEach(() => {
  lines.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = chunk.toString();
    if (text.startsWith('{')) lines.push(JSON.parse(text) as Record<string, unknown>);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env[CONCURRENCY_VARIABLE];
});

/** Two handlers sharing one logger, as every handler module shares functions/http/logger.ts. */
function handlers() {
  const logger = new Logger({ serviceName: 'carpark-tenancy', logLevel: 'INFO' });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const slow = middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      logger.appendKeys({ invoiceId: 'in_1' });
      await released; // the other invocation starts and logs meanwhile
      logger.info('Invoice paid');
    });
  const fast = middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => {
      logger.info('Tenancy read');
      release();
    });
  return { slow, fast };
}

const context = (functionName: string): Context =>
  createLambdaContext({ functionName, timeoutMs: 10_000, memoryLimitInMB: 512 }, { accountId: '000000000000', region: 'eu-west-2' });

describe('log lines of concurrent invocations in one process', () => {
  it('carry the function name and keys of the invocation that wrote them', async () => {
    process.env[CONCURRENCY_VARIABLE] = '64';
    const { slow, fast } = handlers();
    const paid = context('InvoicePaid');
    const read = context('GetTenancy');
    await Promise.all([inInvocation(paid, () => slow({}, paid)), inInvocation(read, () => fast({}, read))]);

    expect(lines.find((line) => line.message === 'Invoice paid')).toMatchObject({ function_name: 'InvoicePaid', invoiceId: 'in_1' });
    const tenancyLine = lines.find((line) => line.message === 'Tenancy read');
    expect(tenancyLine).toMatchObject({ function_name: 'GetTenancy', function_request_id: read.awsRequestId });
    expect(tenancyLine).not.toHaveProperty('invoiceId');
  });

  it('were attributed to whichever function ran last before (the fault this guards against)', async () => {
    const { slow, fast } = handlers();
    await Promise.all([slow({}, context('InvoicePaid')), fast({}, context('GetTenancy'))]);
    expect(lines.find((line) => line.message === 'Invoice paid')).toMatchObject({ function_name: 'GetTenancy' });
  });
});
