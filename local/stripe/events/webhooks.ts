import { signatureHeader } from './signature';
import type { JsonObject } from '../types';

export interface WebhookEndpointConfig {
  url: string;
  /** Signing secret (`whsec_...`); generated when omitted. */
  secret: string;
  /** Event types to deliver (`*` for all, `invoice.*` style prefixes allowed). */
  enabledEvents?: string[];
}

export interface WebhookRetryPolicy {
  /** Total attempts per event and endpoint, first one included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout; a slow receiver counts as a failure, like Stripe's. */
  timeoutMs: number;
}

export interface DeliveryRecord {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  /** HTTP status from the receiver, or null on a network error / timeout. */
  status: number | null;
  ok: boolean;
  error: string | null;
  /** Wall-clock ms when the attempt started. */
  at: number;
  durationMs: number;
  /** Whether another attempt is scheduled after this one. */
  willRetry: boolean;
}

interface Job {
  seq: number;
  event: JsonObject;
  payload: string;
  attempt: number;
  dueAt: number;
}

interface EndpointState {
  id: string;
  config: WebhookEndpointConfig;
  jobs: Job[];
  running: boolean;
  timer: NodeJS.Timeout | null;
}

export function endpointWants(enabled: readonly string[] | undefined, type: string): boolean {
  const list = enabled && enabled.length > 0 ? enabled : ['*'];
  return list.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/**
 * Delivers events to webhook endpoints: at least once, first attempts in creation order, failed
 * attempts retried with capped exponential backoff without holding back later events (Stripe does
 * not guarantee order either). Runs entirely off the request path.
 */
export class WebhookDispatcher {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly log: DeliveryRecord[] = [];
  private seq = 0;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly policy: WebhookRetryPolicy,
    private readonly onDelivered: (eventId: string) => void,
  ) {}

  addEndpoint(id: string, config: WebhookEndpointConfig): void {
    this.endpoints.set(id, { id, config, jobs: [], running: false, timer: null });
  }

  removeEndpoint(id: string): void {
    const state = this.endpoints.get(id);
    if (state?.timer) clearTimeout(state.timer);
    this.endpoints.delete(id);
  }

  endpointIds(): string[] {
    return [...this.endpoints.keys()];
  }

  /** How many endpoints will receive an event of this type (the event's `pending_webhooks`). */
  countFor(type: string): number {
    let n = 0;
    for (const ep of this.endpoints.values()) if (endpointWants(ep.config.enabledEvents, type)) n += 1;
    return n;
  }

  enqueue(event: JsonObject): void {
    if (this.closed) return;
    const type = String(event.type);
    const payload = JSON.stringify(event, null, 2);
    for (const ep of this.endpoints.values()) {
      if (!endpointWants(ep.config.enabledEvents, type)) continue;
      this.seq += 1;
      ep.jobs.push({ seq: this.seq, event, payload, attempt: 1, dueAt: Date.now() });
      this.kick(ep);
    }
  }

  deliveries(): DeliveryRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Jobs not yet delivered (first attempts or scheduled retries). */
  pendingCount(): number {
    let n = 0;
    for (const ep of this.endpoints.values()) n += ep.jobs.length;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ep of this.endpoints.values()) {
      if (ep.timer) clearTimeout(ep.timer);
      ep.timer = null;
      ep.jobs = [];
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private kick(ep: EndpointState): void {
    if (ep.running || this.closed) return;
    if (ep.timer) {
      clearTimeout(ep.timer);
      ep.timer = null;
    }
    const next = this.nextJob(ep);
    if (!next) return;
    const wait = next.dueAt - Date.now();
    if (wait > 0) {
      ep.timer = setTimeout(() => {
        ep.timer = null;
        this.kick(ep);
      }, wait);
      ep.timer.unref?.();
      return;
    }
    ep.running = true;
    ep.jobs.splice(ep.jobs.indexOf(next), 1);
    const run = this.attempt(ep, next).finally(() => {
      this.inFlight.delete(run);
      ep.running = false;
      this.kick(ep);
    });
    this.inFlight.add(run);
  }

  private nextJob(ep: EndpointState): Job | undefined {
    let best: Job | undefined;
    for (const job of ep.jobs) {
      if (!best || job.dueAt < best.dueAt || (job.dueAt === best.dueAt && job.seq < best.seq)) best = job;
    }
    return best;
  }

  private async attempt(ep: EndpointState, job: Job): Promise<void> {
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const signature = signatureHeader(job.payload, ep.config.secret, Math.floor(Date.now() / 1000));
      const res = await fetch(ep.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signature,
        },
        body: job.payload,
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const willRetry = !ok && !this.closed && job.attempt < this.policy.maxAttempts && this.endpoints.has(ep.id);
    this.log.push({
      eventId: String(job.event.id),
      eventType: String(job.event.type),
      endpointId: ep.id,
      url: ep.config.url,
      attempt: job.attempt,
      status,
      ok,
      error: error ?? (ok ? null : `receiver answered ${status}`),
      at: started,
      durationMs: Date.now() - started,
      willRetry,
    });
    if (ok) {
      this.onDelivered(String(job.event.id));
    } else if (willRetry) {
      const delay = Math.min(this.policy.initialDelayMs * 2 ** (job.attempt - 1), this.policy.maxDelayMs);
      ep.jobs.push({ ...job, attempt: job.attempt + 1, dueAt: Date.now() + delay });
    }
  }
}
