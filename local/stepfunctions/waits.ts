/**
 * How long a Wait state lasts locally. The nominal duration is what AWS would wait (Seconds,
 * Timestamp, SecondsPath or TimestampPath); the engine's options may replace or scale it, and the
 * clock decides what "waiting" means (real timers by default; a clock the twin advances by hand
 * can be plugged in without touching the engine).
 */
import { isObject as isJsonObject, type JsonValue, type WaitSpec } from './definition';
import { StatesRuntimeError } from './errors';

export interface WorkflowClock {
  /** Current time, ms since the epoch: Timestamp waits count from it. */
  now(): number;
  /** Resolves once `ms` have passed on this clock, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface WaitRequest {
  readonly workflowId: string;
  readonly executionArn: string;
  readonly stateName: string;
  /** What AWS would wait, in ms (0 for a timestamp already past). */
  readonly nominalMs: number;
  /** When AWS would leave the state, by the engine's clock. */
  readonly resumeAt: Date;
}

/** A wait's request with what a `waitUntil` rule needs to decide on its own. */
export interface TimedWaitRequest extends WaitRequest {
  /** The state's effective input (e.g. to find whose clock the wait follows). */
  readonly input: JsonValue;
  /** For Timestamp / TimestampPath waits: the instant named, ms since the epoch. */
  readonly target?: number;
}

/**
 * Takes a wait over: resolves when the execution may go on (or when `signal` aborts). Returning
 * undefined leaves the wait to the other rules.
 */
export type WaitUntilFunction = (wait: TimedWaitRequest, signal: AbortSignal) => Promise<void> | undefined;

/** Milliseconds to wait instead of the nominal duration, or undefined to apply the other rules. */
export type WaitTimeFunction = (wait: WaitRequest) => number | undefined;

export interface WaitRules {
  /** Fixed durations: workflow id → Wait state name → ms. */
  readonly waitTimeOverrides?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Multiplies every other nominal duration, e.g. 0.001 turns an hour into 3.6 s. */
  readonly waitScale?: number;
  /** Upper bound on a scaled nominal duration. */
  readonly maxWaitMs?: number;
  /** Asked first for every wait; wins whenever it returns a number. */
  readonly waitTime?: WaitTimeFunction;
  /** Asked before everything else; wins whenever it returns a promise (e.g. a clock that moves by hand). */
  readonly waitUntil?: WaitUntilFunction;
}

/** Chunk of a long real-time sleep: setTimeout fires at once past 2^31-1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const realClock: WorkflowClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal.aborted || ms <= 0) return resolve();
      let remaining = ms;
      let timer: NodeJS.Timeout;
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const arm = () => {
        const step = Math.min(remaining, MAX_TIMER_MS);
        remaining -= step;
        timer = setTimeout(() => {
          if (remaining > 0) return arm();
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, step);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  },
};

/** AWS's duration for this Wait, evaluated against the state's effective input. */
export function nominalWaitMs(spec: WaitSpec, input: JsonValue, context: JsonValue, now: number): number {
  if (spec.Seconds !== undefined) return spec.Seconds * 1000;
  if (spec.Timestamp !== undefined) return untilTimestamp(spec.Timestamp, 'Timestamp', now);
  if (spec.SecondsPath !== undefined) {
    const seconds = readReferencePath(spec.SecondsPath, input, context);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesRuntimeError(
        `SecondsPath '${spec.SecondsPath}' gave ${JSON.stringify(seconds)}, expected a non-negative integer`,
      );
    }
    return seconds * 1000;
  }
  if (spec.TimestampPath !== undefined) {
    const timestamp = readReferencePath(spec.TimestampPath, input, context);
    if (typeof timestamp !== 'string') {
      throw new StatesRuntimeError(
        `TimestampPath '${spec.TimestampPath}' gave ${JSON.stringify(timestamp)}, expected an RFC 3339 timestamp`,
      );
    }
    return untilTimestamp(timestamp, 'TimestampPath', now);
  }
  return 0;
}

/** The instant a Timestamp or TimestampPath wait names, ms since the epoch; undefined for others. */
export function waitTarget(spec: WaitSpec, input: JsonValue, context: JsonValue): number | undefined {
  const timestamp = spec.Timestamp ?? (spec.TimestampPath !== undefined ? readReferencePath(spec.TimestampPath, input, context) : undefined);
  return typeof timestamp === 'string' && RFC3339.test(timestamp) ? Date.parse(timestamp) : undefined;
}

/** The duration to actually wait, after the engine's rules. */
export function effectiveWaitMs(request: WaitRequest, rules: WaitRules): number {
  const computed = rules.waitTime?.(request);
  if (computed !== undefined) return Math.max(0, computed);
  const fixed = rules.waitTimeOverrides?.[request.workflowId]?.[request.stateName];
  if (fixed !== undefined) return Math.max(0, fixed);
  const scaled = request.nominalMs * (rules.waitScale ?? 1);
  return Math.max(0, Math.min(scaled, rules.maxWaitMs ?? Number.POSITIVE_INFINITY));
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function untilTimestamp(timestamp: string, field: string, now: number): number {
  const at = Date.parse(timestamp);
  if (!RFC3339.test(timestamp) || Number.isNaN(at)) {
    throw new StatesRuntimeError(`${field} '${timestamp}' is not an RFC 3339 timestamp`);
  }
  return Math.max(0, at - now);
}

const SEGMENT = /^(?:\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/**
 * Evaluates an ASL reference path (`$.a.b`, `$.list[0]`, `$['a b']`, `$$.Execution.Input.x`);
 * undefined when it points at nothing.
 */
export function readReferencePath(path: string, input: JsonValue, context: JsonValue): JsonValue | undefined {
  const fromContext = path.startsWith('$$');
  if (!path.startsWith('$')) throw new StatesRuntimeError(`'${path}' is not a reference path`);
  let rest = path.slice(fromContext ? 2 : 1);
  let value: JsonValue | undefined = fromContext ? context : input;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new StatesRuntimeError(`'${path}' is not a reference path`);
    rest = rest.slice(match[0].length);
    const index = match[2];
    const key = match[1] ?? match[3] ?? match[4];
    if (index !== undefined) {
      value = Array.isArray(value) ? value[Number(index)] : undefined;
    } else if (key !== undefined) {
      value = isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}
