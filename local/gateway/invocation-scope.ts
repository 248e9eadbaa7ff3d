/**
 * Keeping concurrent invocations apart in one process, as Lambda's runtime does when one
 * execution environment serves several requests at once (AWS_LAMBDA_MAX_CONCURRENCY): each
 * invocation runs inside an AsyncLocalStorage scope published as `globalThis.awslambda.InvokeStore`,
 * the store Powertools and the AWS SDK look for. Powertools' logger then keeps each invocation's
 * Lambda context and appended keys in that scope, so a log line names the function that wrote it
 * even while another function's invocation is in flight: the twin runs every function in one
 * process, where a single shared logger would otherwise carry whichever context was set last.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/** Set for handler code in the twin; Powertools scopes its state per invocation only when it is set. */
export const CONCURRENCY_VARIABLE = 'AWS_LAMBDA_MAX_CONCURRENCY';

const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const X_RAY_TRACE_ID = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');
const TENANT_ID = Symbol.for('_AWS_LAMBDA_TENANT_ID');
const PROTECTED = [REQUEST_ID, X_RAY_TRACE_ID, TENANT_ID];

type Scope = Record<string | symbol, unknown>;

/** The interface of `@aws/lambda-invoke-store`'s multi-concurrency store, on AsyncLocalStorage. */
class InvocationStore {
  readonly #storage = new AsyncLocalStorage<Scope>();
  getContext(): Scope | undefined {
    return this.#storage.getStore();
  }
  hasContext(): boolean {
    return this.#storage.getStore() !== undefined;
  }
  get<T>(key: string | symbol): T | undefined {
    return this.#storage.getStore()?.[key] as T | undefined;
  }
  set<T>(key: string | symbol, value: T): void {
    if (PROTECTED.includes(key as symbol)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const scope = this.#storage.getStore();
    if (!scope) throw new Error('No context available');
    scope[key] = value;
  }
  run<T>(scope: Scope, fn: () => T): T {
    return this.#storage.run(scope, fn);
  }
  getRequestId(): string {
    return this.get<string>(REQUEST_ID) ?? '-';
  }
  getXRayTraceId(): string | undefined {
    return this.get<string>(X_RAY_TRACE_ID);
  }
  getTenantId(): string | undefined {
    return this.get<string>(TENANT_ID);
  }
  getTraceparent(): string | undefined {
    return undefined;
  }
  getTracestate(): string | undefined {
    return undefined;
  }
  getBaggage(): string | undefined {
    return undefined;
  }
}

type LambdaGlobal = { awslambda?: { InvokeStore?: unknown } };

/** Publishes the store (once per process; an existing one is kept) before any handler runs. */
export function installInvocationStore(): { run<T>(scope: Scope, fn: () => T): T } {
  const global = globalThis as LambdaGlobal;
  global.awslambda ??= {};
  global.awslambda.InvokeStore ??= new InvocationStore();
  return global.awslambda.InvokeStore as InvocationStore;
}

/** Runs one invocation of a handler in a scope of its own. */
export function inInvocation<T>(context: Context, run: () => T): T {
  return installInvocationStore().run({ [REQUEST_ID]: context.awsRequestId }, run);
}
