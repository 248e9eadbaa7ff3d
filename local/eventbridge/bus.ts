/**
 * The twin's event bus: the manifest's rules applied to put events, each matching rule's target
 * handler invoked asynchronously the way EventBridge invokes Lambda (module loaded once and
 * reused, a JSON copy of the event, a Lambda context), retried, then dead-lettered. Every event
 * put is archived and can be replayed. `putEvents` never waits for delivery.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { EventRuleSpec } from '../../functions/events';
import { inInvocation } from '../gateway/invocation-scope';
import { createLambdaContext } from '../gateway/lambda-context';
import { pollUntil } from '../ports';
import { assertValidPattern, matchesPattern } from './pattern';

export const LOCAL_ACCOUNT_ID = '000000000000';

/** An event as EventBridge delivers it to a target. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
  /** Present on events re-sent by a replay, as AWS does. */
  readonly 'replay-name'?: string;
}

/** One entry of PutEvents, as the API names its fields. */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** A JSON object, as a string. */
  readonly Detail?: string;
  readonly Time?: Date;
  readonly Resources?: readonly string[];
  readonly EventBusName?: string;
}

export type PutEventsResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface PutEventsResult {
  /** Ids of the accepted events, in entry order. */
  readonly eventIds: string[];
  /** How many entries were rejected. */
  readonly failed: number;
  /** One result per entry, in order, as PutEvents answers. */
  readonly entries: PutEventsResultEntry[];
}

export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
}

export interface Delivery {
  readonly eventId: string;
  readonly ruleId: string;
  readonly handler: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly outcome: 'succeeded' | 'failed';
  readonly error?: LambdaErrorPayload;
  readonly replayName?: string;
  readonly at: Date;
}

export interface DeadLetter {
  readonly ruleId: string;
  readonly event: EventBridgeEvent;
  readonly attempts: number;
  /** The last attempt's error. */
  readonly error: LambdaErrorPayload;
  readonly at: Date;
}

export interface LocalBusOptions {
  readonly rules: readonly EventRuleSpec[];
  /** Where the rules' handler modules are, e.g. `<root>/functions`. */
  readonly functionsDir: string;
  /** `attempts` includes the first try; `intervalMs` is the pause between tries. */
  readonly retry: { readonly attempts: number; readonly intervalMs: number };
  readonly region?: string;
  /** Per-invocation timeout, as the Lambda function's timeout; 30 s when omitted. */
  readonly lambdaTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface LocalBus {
  putEvents(entries: readonly PutEventsEntry[]): PutEventsResult;
  /** Every delivery attempt, oldest first. */
  deliveries(): Delivery[];
  /** Deliveries that failed every attempt. */
  deadLetters(): DeadLetter[];
  /** Every event put, oldest first. */
  archive(): EventBridgeEvent[];
  /** Re-sends archived events through the rules; returns the replay's name and how many events it sent. */
  replay(selection: readonly string[] | ((event: EventBridgeEvent) => boolean)): { replayName: string; events: number };
  /** Resolves once no delivery is in flight or waiting to retry; rejects after the timeout. */
  waitForIdle(timeoutMs: number): Promise<void>;
  /** Stops taking events, cancels pending retries and waits for in-flight invocations. */
  close(): Promise<void>;
}

type LambdaHandler = (event: unknown, context: Context) => unknown;

class LambdaFailure extends Error {
  constructor(readonly payload: LambdaErrorPayload) {
    super(payload.errorMessage);
    this.name = payload.errorType;
  }
}

export function createLocalBus(options: LocalBusOptions): LocalBus {
  const { rules, functionsDir, retry } = options;
  const region = options.region ?? 'local';
  const lambdaTimeoutMs = options.lambdaTimeoutMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error('retry.attempts must be a positive integer');
  for (const rule of rules) {
    assertValidPattern(rule.pattern);
    const file = path.resolve(functionsDir, rule.target.handler);
    if (!existsSync(file)) throw new Error(`Rule ${rule.id}: handler module ${file} does not exist.`);
  }

  const archived: EventBridgeEvent[] = [];
  const deliveryLog: Delivery[] = [];
  const dead: DeadLetter[] = [];
  const modules = new Map<string, Promise<LambdaHandler>>();
  const inFlight = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let closed = false;
  let replays = 0;

  function load(relative: string): Promise<LambdaHandler> {
    const file = path.resolve(functionsDir, relative);
    let loading = modules.get(file);
    if (!loading) {
      loading = importHandler(file, relative);
      // A module that failed to load is tried again next time, as a new Lambda instance would.
      loading.catch(() => modules.delete(file));
      modules.set(file, loading);
    }
    return loading;
  }

  async function invoke(rule: EventRuleSpec, event: EventBridgeEvent): Promise<void> {
    const context = createLambdaContext(
      { functionName: rule.id, timeoutMs: lambdaTimeoutMs, memoryLimitInMB: 1024 },
      { region, accountId: LOCAL_ACCOUNT_ID },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = (lambdaTimeoutMs / 1000).toFixed(2);
        reject(new LambdaFailure({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` }));
      }, lambdaTimeoutMs);
    });
    try {
      const run = (async () => {
        const handler = await load(rule.target.handler);
        await inInvocation(context, () => handler(JSON.parse(JSON.stringify(event)), context));
      })();
      await Promise.race([run, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One try of one delivery; schedules the next try or dead-letters on failure. */
  function attempt(rule: EventRuleSpec, event: EventBridgeEvent, number: number): void {
    if (closed) {
      pending -= 1;
      return;
    }
    const replayName = event['replay-name'];
    const running = invoke(rule, event).then(
      () => {
        deliveryLog.push({ eventId: event.id, ruleId: rule.id, handler: rule.target.handler, attempt: number, outcome: 'succeeded', ...(replayName !== undefined && { replayName }), at: new Date() });
        log(`eventbridge: ${rule.id} ← ${event.id} delivered (attempt ${number})`);
        pending -= 1;
      },
      (error: unknown) => {
        const payload = errorPayload(error);
        deliveryLog.push({ eventId: event.id, ruleId: rule.id, handler: rule.target.handler, attempt: number, outcome: 'failed', error: payload, ...(replayName !== undefined && { replayName }), at: new Date() });
        log(`eventbridge: ${rule.id} ← ${event.id} failed (attempt ${number}): ${payload.errorType}: ${payload.errorMessage}`);
        if (number < retry.attempts && !closed) {
          const timer = setTimeout(() => {
            retryTimers.delete(timer);
            attempt(rule, event, number + 1);
          }, retry.intervalMs);
          retryTimers.add(timer);
          return;
        }
        dead.push({ ruleId: rule.id, event, attempts: number, error: payload, at: new Date() });
        log(`eventbridge: ${rule.id} ← ${event.id} dead-lettered after ${number} attempts`);
        pending -= 1;
      },
    );
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  }

  /** Starts delivery to every matching rule without waiting for it. */
  function route(event: EventBridgeEvent): void {
    for (const rule of rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      pending += 1;
      setImmediate(() => attempt(rule, event, 1));
    }
  }

  function toEvent(entry: PutEventsEntry): EventBridgeEvent | { ErrorCode: string; ErrorMessage: string } {
    const invalid = (parameter: string, reason: string) => ({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
    });
    if (!entry.Source) return invalid('Source', 'Source is a required argument.');
    if (!entry.DetailType) return invalid('DetailType', 'DetailType is a required argument.');
    if (entry.Detail === undefined) return invalid('Detail', 'Detail is a required argument.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT_ID,
      time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [...(entry.Resources ?? [])],
      detail: detail as Record<string, unknown>,
    };
  }

  return {
    putEvents(entries) {
      if (closed) throw new Error('The local event bus is closed.');
      const results: PutEventsResultEntry[] = [];
      const eventIds: string[] = [];
      for (const entry of entries) {
        const event = toEvent(entry);
        if ('ErrorCode' in event) {
          results.push(event);
          continue;
        }
        archived.push(event);
        eventIds.push(event.id);
        results.push({ EventId: event.id });
        log(`eventbridge: put ${event.id} ${event.source} ${event['detail-type']}`);
        route(event);
      }
      return { eventIds, failed: entries.length - eventIds.length, entries: results };
    },

    deliveries: () => [...deliveryLog],
    deadLetters: () => [...dead],
    archive: () => [...archived],

    replay(selection) {
      if (closed) throw new Error('The local event bus is closed.');
      const selected =
        typeof selection === 'function'
          ? archived.filter(selection)
          : selection.map((id) => {
              const event = archived.find((candidate) => candidate.id === id);
              if (!event) throw new Error(`No archived event with id ${id}`);
              return event;
            });
      replays += 1;
      const replayName = `local-replay-${replays}`;
      for (const event of selected) route({ ...event, 'replay-name': replayName });
      log(`eventbridge: ${replayName} re-sent ${selected.length} events`);
      return { replayName, events: selected.length };
    },

    async waitForIdle(timeoutMs) {
      await pollUntil(async () => pending === 0, {
        timeoutMs,
        intervalMs: 10,
        describeFailure: () => `The local event bus still had ${pending} deliveries pending after ${timeoutMs} ms`,
      });
    },

    async close() {
      closed = true;
      for (const timer of retryTimers) clearTimeout(timer);
      pending -= retryTimers.size;
      retryTimers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function importHandler(file: string, relative: string): Promise<LambdaHandler> {
  let module: unknown;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new LambdaFailure({ errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot load ${relative}: ${(error as Error).message}` });
  }
  const handler = typeof module === 'object' && module !== null && 'handler' in module ? module.handler : undefined;
  if (typeof handler !== 'function') {
    throw new LambdaFailure({ errorType: 'Runtime.HandlerNotFound', errorMessage: `${relative}.handler is undefined or not exported` });
  }
  return handler as LambdaHandler;
}

function errorPayload(error: unknown): LambdaErrorPayload {
  if (error instanceof LambdaFailure) return error.payload;
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  return { errorType: typeof error, errorMessage: String(error) };
}
