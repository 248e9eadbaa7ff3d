/**
 * Loads handler modules the way the Lambda runtime would (once, then reused across invocations)
 * and invokes them with a timeout.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { inInvocation } from './invocation-scope';

export type LambdaHandler = (event: unknown, context: Context) => unknown;

export type InvocationOutcome =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timedOut' };

export interface LambdaRunner {
  load(modulePath: string): Promise<LambdaHandler>;
  invoke(modulePath: string, event: unknown, context: Context, timeoutMs: number): Promise<InvocationOutcome>;
}

export function createLambdaRunner(functionsDir: string): LambdaRunner {
  const modules = new Map<string, Promise<LambdaHandler>>();

  function load(modulePath: string): Promise<LambdaHandler> {
    let loading = modules.get(modulePath);
    if (!loading) {
      loading = importHandler(path.resolve(functionsDir, modulePath));
      // A module that failed to load is retried on the next request, so a fixed file recovers.
      loading.catch(() => modules.delete(modulePath));
      modules.set(modulePath, loading);
    }
    return loading;
  }

  return {
    load,
    async invoke(modulePath, event, context, timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<InvocationOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'timedOut' }), timeoutMs);
      });
      const run = (async (): Promise<InvocationOutcome> => {
        try {
          const handler = await load(modulePath);
          return { kind: 'returned', value: await inInvocation(context, () => handler(event, context)) };
        } catch (error) {
          return { kind: 'threw', error };
        }
      })();
      try {
        return await Promise.race([run, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function importHandler(file: string): Promise<LambdaHandler> {
  const module: unknown = await import(pathToFileURL(file).href);
  const handler = typeof module === 'object' && module !== null && 'handler' in module ? module.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`${file} does not export a function named "handler"`);
  return handler as LambdaHandler;
}
