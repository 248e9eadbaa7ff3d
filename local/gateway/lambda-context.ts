/** A Lambda `Context` like the Node.js runtime passes to a handler. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaSettings {
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly memoryLimitInMB: number;
  /** Given when the caller must know it (e.g. to log it); a new UUID otherwise. */
  readonly awsRequestId?: string;
}

/** Used by the twin's gateway and by its Step Functions engine, which both invoke handlers as Lambda does. */
export function createLambdaContext(
  settings: LambdaSettings,
  api: { readonly accountId: string; readonly region: string },
  startedAt = Date.now(),
): Context {
  const { functionName } = settings;
  const deadline = startedAt + settings.timeoutMs;
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported: return a value or a promise from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${api.region}:${api.accountId}:function:${functionName}`,
    memoryLimitInMB: String(settings.memoryLimitInMB),
    awsRequestId: settings.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
