/**
 * Runs a workflow's task functions the way Step Functions invokes Lambda for a direct-ARN Task:
 * the module is loaded once and reused, the handler gets a JSON copy of the input and a Lambda
 * context, the return value goes through JSON, and a thrown error fails the task with the
 * Lambda error type as the Step Functions error and the Lambda error payload as the cause.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { JsonValue } from './definition';
import { TaskFailure } from './errors';
import { inInvocation } from '../gateway/invocation-scope';
import { createLambdaContext } from '../gateway/lambda-context';

type LambdaHandler = (event: unknown, context: Context) => unknown;

export interface TaskFunction {
  /** Substitution key; also the local function name. */
  readonly taskKey: string;
  /** Handler module, relative to the functions directory. */
  readonly handler: string;
}

export interface TaskInvoker {
  /** Throws when the handler module does not exist, so a wrong manifest fails at start-up. */
  assertExists(fn: TaskFunction): void;
  invoke(fn: TaskFunction, input: JsonValue): Promise<JsonValue>;
}

export function createTaskInvoker(functionsDir: string, lambdaTimeoutMs: number): TaskInvoker {
  const modules = new Map<string, Promise<LambdaHandler>>();

  function load(fn: TaskFunction): Promise<LambdaHandler> {
    const file = path.resolve(functionsDir, fn.handler);
    let loading = modules.get(file);
    if (!loading) {
      loading = importHandler(file, fn.handler);
      // A module that failed to load is tried again next time, as a new Lambda instance would.
      loading.catch(() => modules.delete(file));
      modules.set(file, loading);
    }
    return loading;
  }

  return {
    assertExists(fn) {
      const file = path.resolve(functionsDir, fn.handler);
      if (!existsSync(file)) throw new Error(`Task ${fn.taskKey}: handler module ${file} does not exist.`);
    },

    async invoke(fn, input) {
      const requestId = randomUUID();
      const context = createLambdaContext(
        // The function's name, as the CDK names it, and the twin's one region.
        { functionName: fn.taskKey.replace(/FunctionArn$/, ''), timeoutMs: lambdaTimeoutMs, memoryLimitInMB: 1024, awsRequestId: requestId },
        { region: process.env.AWS_REGION ?? 'eu-west-2', accountId: '000000000000' },
      );
      const run = (async () => {
        const handler = await load(fn);
        return inInvocation(context, () => handler(JSON.parse(JSON.stringify(input)), context));
      })();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const seconds = (lambdaTimeoutMs / 1000).toFixed(2);
          const message = `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`;
          reject(new TaskFailure('Sandbox.Timedout', JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message })));
        }, lambdaTimeoutMs);
      });
      try {
        const result = await Promise.race([run, timedOut]);
        return toJson(result);
      } catch (error) {
        throw error instanceof TaskFailure ? error : lambdaError(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function importHandler(file: string, relative: string): Promise<LambdaHandler> {
  let module: unknown;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw failure('Runtime.ImportModuleError', `Error: Cannot load ${relative}: ${(error as Error).message}`);
  }
  const handler = typeof module === 'object' && module !== null && 'handler' in module ? module.handler : undefined;
  if (typeof handler !== 'function') {
    throw failure('Runtime.HandlerNotFound', `${relative}.handler is undefined or not exported`);
  }
  return handler as LambdaHandler;
}

/** The Lambda result travels as JSON: `undefined` becomes null, Dates become strings. */
function toJson(result: unknown): JsonValue {
  try {
    const text = JSON.stringify(result);
    return text === undefined ? null : (JSON.parse(text) as JsonValue);
  } catch (error) {
    throw failure('Runtime.MarshalError', `Unable to marshal response: ${(error as Error).message}`);
  }
}

/** The error payload the Node.js Lambda runtime reports for a thrown value. */
function lambdaError(error: unknown): TaskFailure {
  if (error instanceof Error) {
    const payload = { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
    return new TaskFailure(error.name, JSON.stringify(payload));
  }
  const payload = { errorType: typeof error, errorMessage: String(error), trace: [] };
  return new TaskFailure(typeof error, JSON.stringify(payload));
}

function failure(errorType: string, errorMessage: string): TaskFailure {
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage }));
}

