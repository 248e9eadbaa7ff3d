/**
 * Switchable faults for the SmartParking simulator: added latency, a share of requests failing
 * with an error status, and a share hanging until the client gives up. Which requests fail is
 * decided by a seeded generator, so a test (or a bug report) can replay the same sequence.
 */
import { z } from 'zod';

export const faultSettingsSchema = z
  .object({
    /** Share of API requests (0–1) answered with `status`. */
    failureRate: z.number().min(0).max(1).optional(),
    /** Share of API requests (0–1) never answered: the connection stays open until the client aborts. */
    timeoutRate: z.number().min(0).max(1).optional(),
    /** Delay before every API answer, in ms. */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** Status of the failed requests (default 503). Alone, it fails every request: failureRate 1. */
    status: z.number().int().min(400).max(599).optional(),
    /** Sent as `retry-after` with 429 and 503 (default 1). */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Restarts the generator, so the same settings give the same sequence of failures. */
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((f) => (f.failureRate ?? 0) + (f.timeoutRate ?? 0) <= 1, {
    message: 'failureRate and timeoutRate together cannot exceed 1',
  });

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** What happens to one request. */
export type FaultDecision =
  | { readonly kind: 'none'; readonly latencyMs: number }
  | { readonly kind: 'timeout'; readonly latencyMs: number }
  | { readonly kind: 'failure'; readonly latencyMs: number; readonly status: number; readonly retryAfterSeconds: number };

export const DEFAULT_FAULT_SEED = 1;

export class Faults {
  private settings: FaultSettings = {};
  private random: () => number;

  constructor(private readonly initialSeed: number = DEFAULT_FAULT_SEED) {
    this.random = seededRandom(initialSeed);
  }

  /** Replaces the current settings (it does not merge). Throws on invalid settings. */
  set(settings: FaultSettings): FaultSettings {
    const parsed = faultSettingsSchema.parse(settings);
    this.settings = parsed;
    if (parsed.seed !== undefined) this.random = seededRandom(parsed.seed);
    return this.get();
  }

  /** No faults; the generator restarts from the simulator's seed. */
  clear(): void {
    this.settings = {};
    this.random = seededRandom(this.initialSeed);
  }

  get(): FaultSettings {
    return { ...this.settings };
  }

  /** One draw per request, so the sequence depends only on the seed and the request order. */
  decide(): FaultDecision {
    const { timeoutRate = 0, status, retryAfterSeconds = 1, latencyMs = 0 } = this.settings;
    const failureRate = this.settings.failureRate ?? (status === undefined ? 0 : 1);
    const draw = this.random();
    if (draw < timeoutRate) return { kind: 'timeout', latencyMs };
    if (draw < timeoutRate + failureRate) return { kind: 'failure', latencyMs, status: status ?? 503, retryAfterSeconds };
    return { kind: 'none', latencyMs };
  }
}

/** mulberry32: small, fast, and good enough to spread faults; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
