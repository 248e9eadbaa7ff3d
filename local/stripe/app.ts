import { WebhookDispatcher } from './events/webhooks';
import { invalidRequest } from './http/errors';
import { eventTemplate } from './objects/templates';
import { render } from './objects/render';
import type { Rec } from './store';
import { Store } from './store';
import type { Json, JsonObject, Kind, RequestOrigin } from './types';
import { deepEqual, isObject } from './types';

export type RetriesExhaustedAction = 'cancel' | 'unpaid' | 'past_due';

export interface BillingSettings {
  /** Automatic retries of failed renewal payments: days after the previous attempt. */
  retryScheduleDays: number[];
  /** What happens to the subscription once the retries are used up (Stripe's "Manage failed payments" setting). */
  onRetriesExhausted: RetriesExhaustedAction;
  /** An `incomplete` subscription expires this long after creation (Stripe: 23 hours). */
  incompleteExpirySeconds: number;
  /** Gives every customer created without `test_clock` a test clock of its own (not Stripe behaviour). */
  customerTestClocks?: boolean;
}

/** One API operation or engine run: who caused it, for the `request` field of events. */
export interface Op {
  app: App;
  origin: RequestOrigin | null;
}

/**
 * Everything the handlers and the billing engine share: the object store, the clock, event
 * emission and rendering. Handlers are synchronous, so one request's changes are never
 * interleaved with another's.
 */
export class App {
  readonly store = new Store();
  private listeners: ((event: JsonObject) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Where the server listens, for URLs in objects (hosted invoice pages). */
  baseUrl = '';
  /** Called after state changes outside a request (test clock advances), e.g. to persist. */
  changed: () => void = () => undefined;
  log: (line: string) => void = () => undefined;

  constructor(
    readonly nowMs: () => number,
    readonly apiVersion: string,
    readonly billing: BillingSettings,
    readonly webhooks: WebhookDispatcher,
  ) {}

  /** Current unix time (seconds) outside any test clock. */
  realNow(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** The time a customer's objects live at: its test clock's frozen time, or real time. */
  nowForCustomer(customerId: string | null | undefined): number {
    if (!customerId) return this.realNow();
    const customer = this.store.get('customer', customerId);
    return this.nowForClock(customer ? (customer.test_clock as string | null) : null);
  }

  nowForClock(clockId: string | null | undefined): number {
    if (!clockId) return this.realNow();
    const clock = this.store.get('test_helpers.test_clock', clockId);
    return clock ? Number(clock.frozen_time) : this.realNow();
  }

  render(kind: Kind, rec: Rec): JsonObject {
    return render(this.store, kind, rec);
  }

  renderById(kind: Kind, id: string): JsonObject {
    return this.render(kind, this.store.require(kind, id));
  }

  onEvent(listener: (event: JsonObject) => void): void {
    this.listeners.push(listener);
  }

  /** Records an event and hands it to webhook delivery (which runs later, off the request path). */
  emit(op: Op, type: string, object: JsonObject, previous?: JsonObject): JsonObject {
    const data: JsonObject = { object };
    if (previous && Object.keys(previous).length > 0) data.previous_attributes = previous;
    const event = eventTemplate({
      id: this.store.newId('event'),
      api_version: this.apiVersion,
      created: this.realNow(),
      data,
      pending_webhooks: this.webhooks.countFor(type),
      request: op.origin ? { id: op.origin.id, idempotency_key: op.origin.idempotency_key } : { id: null, idempotency_key: null },
      type,
    });
    this.store.insert('event', structuredClone(event));
    for (const l of this.listeners) l(event);
    this.webhooks.enqueue(event);
    return event;
  }

  /**
   * Snapshots an object, lets the caller change it, then emits `<type>` with
   * `previous_attributes` holding the top-level fields that changed (nothing if none did).
   */
  track(kind: Kind, rec: Rec): (op: Op, type: string) => JsonObject | null {
    const before = this.render(kind, rec);
    return (op, type) => {
      const after = this.render(kind, rec);
      const previous: JsonObject = {};
      for (const key of Object.keys(after)) {
        if (!deepEqual(before[key], after[key])) previous[key] = before[key] ?? null;
      }
      if (Object.keys(previous).length === 0) return null;
      return this.emit(op, type, after, previous);
    };
  }

  /** Runs work later (test clock advances), cancelled by `cancelScheduled` on shutdown. */
  schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
      } catch (err) {
        this.log(`scheduled work failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
      this.changed();
    }, ms);
    this.timers.add(timer);
  }

  cancelScheduled(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  markDelivered(eventId: string): void {
    const event = this.store.get('event', eventId);
    if (event && typeof event.pending_webhooks === 'number' && event.pending_webhooks > 0) {
      event.pending_webhooks -= 1;
    }
  }
}

/**
 * Applies `expand[]` paths (`latest_invoice`, `data.default_payment_method`,
 * `items.data.price.product`, ...) by replacing ids with the objects they name.
 */
export function expand(app: App, value: JsonObject, paths: string[]): JsonObject {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, { param: 'expand' });
    expandAt(app, value, segments, path);
  }
  return value;
}

function expandAt(app: App, node: Json, segments: string[], path: string): void {
  if (segments.length === 0 || node === null) return;
  if (Array.isArray(node)) {
    for (const el of node) expandAt(app, el, segments, path);
    return;
  }
  if (!isObject(node)) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (!(head in node)) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
  let child = node[head] as Json;
  if (typeof child === 'string') {
    const found = app.store.find(child);
    if (!found) return;
    child = app.render(found.kind, found.rec);
    node[head] = child;
  }
  expandAt(app, child, rest, path);
}
