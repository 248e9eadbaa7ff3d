/**
 * Fault switches for tests. Each rule applies to requests whose path starts with `pathPrefix`
 * (and whose method matches, if given), either for the next `count` matching requests or for a
 * `rate` fraction of them (drawn from a seeded generator, so runs repeat).
 *
 * - `error` with `when: 'before'` answers 500 api_error before the endpoint runs: nothing is
 *   created and the idempotency key stays free, so the SDK's retry succeeds exactly once.
 * - `error` with `when: 'after'` runs the endpoint, stores the idempotent response, then answers
 *   500 (a lost response): a retry with the same key replays the stored result.
 * - `reset` destroys the socket before the endpoint runs (the SDK sees ECONNRESET).
 * - `latency` delays the request by `ms` before it is handled.
 */
export type FaultKind = 'error' | 'reset' | 'latency';

export interface FaultScope {
  pathPrefix?: string;
  method?: string;
}

export interface FaultRule extends FaultScope {
  id: number;
  kind: FaultKind;
  when: 'before' | 'after';
  /** Remaining matching requests to affect; undefined means unlimited (rate-based rules). */
  remaining?: number;
  rate?: number;
  ms?: number;
  status?: number;
}

export interface FaultDecision {
  latencyMs: number;
  error: { when: 'before' | 'after'; status: number } | null;
  reset: boolean;
}

export interface FaultSwitches {
  /** Fail the next `count` matching requests with a 500 (or `status`). */
  failNext(count: number, opts?: FaultScope & { when?: 'before' | 'after'; status?: number }): number;
  /** Fail a fraction (0..1) of matching requests until cleared. */
  failRate(rate: number, opts?: FaultScope & { when?: 'before' | 'after'; status?: number }): number;
  /** Drop the connection for the next `count` matching requests. */
  resetNext(count: number, opts?: FaultScope): number;
  /** Add `ms` of latency to matching requests (the next `count`, or all until cleared). */
  latency(ms: number, opts?: FaultScope & { count?: number }): number;
  /** Remove one rule by id, or all rules. */
  clear(id?: number): void;
  rules(): FaultRule[];
  /** Requests affected so far, by kind. */
  readonly injected: { error: number; reset: number; latency: number };
}

export class Faults implements FaultSwitches {
  private list: FaultRule[] = [];
  private nextId = 1;
  private state: number;
  readonly injected = { error: 0, reset: 0, latency: 0 };

  constructor(seed = 42) {
    this.state = seed >>> 0 || 1;
  }

  failNext(count: number, opts: FaultScope & { when?: 'before' | 'after'; status?: number } = {}): number {
    return this.add({ ...opts, kind: 'error', when: opts.when ?? 'before', remaining: count });
  }

  failRate(rate: number, opts: FaultScope & { when?: 'before' | 'after'; status?: number } = {}): number {
    return this.add({ ...opts, kind: 'error', when: opts.when ?? 'before', rate });
  }

  resetNext(count: number, opts: FaultScope = {}): number {
    return this.add({ ...opts, kind: 'reset', when: 'before', remaining: count });
  }

  latency(ms: number, opts: FaultScope & { count?: number } = {}): number {
    const { count, ...scope } = opts;
    return this.add({ ...scope, kind: 'latency', when: 'before', ms, remaining: count });
  }

  clear(id?: number): void {
    this.list = id === undefined ? [] : this.list.filter((r) => r.id !== id);
  }

  rules(): FaultRule[] {
    return this.list.map((r) => ({ ...r }));
  }

  /** Decides what happens to one request; consumes counted rules it matches. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, error: null, reset: false };
    for (const rule of this.list) {
      if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.kind === 'error' && (decision.error || decision.reset)) continue;
      if (rule.kind === 'reset' && (decision.error || decision.reset)) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      if (rule.remaining !== undefined) {
        if (rule.remaining <= 0) continue;
        rule.remaining -= 1;
      }
      if (rule.kind === 'latency') {
        decision.latencyMs += rule.ms ?? 0;
        this.injected.latency += 1;
      } else if (rule.kind === 'reset') {
        decision.reset = true;
        this.injected.reset += 1;
      } else {
        decision.error = { when: rule.when, status: rule.status ?? 500 };
        this.injected.error += 1;
      }
    }
    this.list = this.list.filter((r) => r.remaining === undefined || r.remaining > 0);
    return decision;
  }

  private add(rule: Omit<FaultRule, 'id'>): number {
    const id = this.nextId;
    this.nextId += 1;
    this.list.push({ ...rule, id });
    return id;
  }

  /** mulberry32: small, seeded, good enough to spread failures. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
