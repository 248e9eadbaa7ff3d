import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { Op, RetriesExhaustedAction } from './app';
import { App, expand } from './app';
import { advanceTime } from './billing/scheduler';
import { RENEWAL_DRAFT_SECONDS } from './billing/subscriptions';
import type { DeliveryRecord, WebhookEndpointConfig, WebhookRetryPolicy } from './events/webhooks';
import { WebhookDispatcher } from './events/webhooks';
import { StripeApiError, idempotencyInFlight, idempotencyMismatch, invalidRequest } from './http/errors';
import type { FaultSwitches } from './http/faults';
import { Faults } from './http/faults';
import { decodeForm, paramsFromJson } from './http/form';
import { IdempotencyStore, fingerprint } from './http/idempotency';
import type { Method } from './http/router';
import { Router } from './http/router';
import { expandPaths } from './params';
import { Persistence } from './persistence';
import { STRIPE_JS_PATH, checkPublishableAccess, isPublishableKey, requireClientSecret, stripeJsSource } from './stripe-js';
import { catalogRoutes } from './resources/catalog';
import { customerRoutes } from './resources/customers';
import { eventRoutes, webhookEndpointRoutes } from './resources/events';
import { invoiceItemRoutes } from './resources/invoice-items';
import { invoiceRoutes } from './resources/invoices';
import { paymentMethodRoutes } from './resources/payment-methods';
import { finishPaymentAuthentication, paymentIntentRoutes } from './resources/payment-intents';
import { finishAuthentication, setupIntentRoutes } from './resources/setup-intents';
import { subscriptionRoutes } from './resources/subscriptions';
import { testClockRoutes } from './resources/test-clocks';
import type { Rec } from './store';
import { randomToken } from './store';
import type { Json, JsonObject, Kind, Params } from './types';
import { isObject } from './types';

export interface StripeStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  webhookEndpoints?: { url: string; secret?: string; enabledEvents?: string[] }[];
  /** JSON file to load state from and save it to. */
  dataFile?: string;
  /** Wall clock in milliseconds (default `Date.now`); customers without a test clock live on it. */
  now?: () => number;
  /** Webhook retry policy (defaults are fast, for tests: 6 attempts from 50 ms, capped at 2 s, 5 s timeout). */
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Days after each failed renewal attempt to retry (default [3, 5, 7]). */
  retryScheduleDays?: number[];
  /** Subscription outcome when retries run out (default `cancel`, Stripe's default setting). */
  onRetriesExhausted?: RetriesExhaustedAction;
  /**
   * Gives every customer created without `test_clock` a test clock of its own, frozen at its
   * creation, so one tenant's billing time can be advanced (the twin's demo mode; Stripe itself
   * only does this when asked).
   */
  customerTestClocks?: boolean;
  /** Delay before a test clock advance runs, so callers observe `advancing` (default 20 ms). */
  clockAdvanceDelayMs?: number;
  /** Renew/retry customers without a test clock against `now()` every N ms (default: only on `tick()`). */
  tickIntervalMs?: number;
  /** `api_version` stamped on events (default: the installed SDK's pinned version). */
  apiVersion?: string;
  /** Seed of the generator behind fractional fault rates. */
  faultSeed?: number;
  log?: (line: string) => void;
}

export interface WebhookEndpointHandle {
  id: string;
  url: string;
  secret: string;
}

/** Read-only views of the stand-in's state, as the API would render it. */
export interface StandinState {
  readonly customers: JsonObject[];
  readonly paymentMethods: JsonObject[];
  readonly products: JsonObject[];
  readonly prices: JsonObject[];
  readonly subscriptions: JsonObject[];
  readonly invoices: JsonObject[];
  readonly invoiceItems: JsonObject[];
  /** All events, oldest first. */
  readonly events: JsonObject[];
  readonly testClocks: JsonObject[];
  /** Number of stored objects of a kind (deleted customers excluded). */
  count(kind: Kind): number;
}

export interface StripeStandin {
  /** `http://host:port` */
  url: string;
  /** The Stripe.js-compatible script (`<url>/v3/`), used with any `pk_test_...` publishable key. */
  stripeJsUrl: string;
  host: string;
  port: number;
  faults: FaultSwitches;
  state: StandinState;
  addWebhookEndpoint(endpoint: { url: string; secret?: string; enabledEvents?: string[] }): WebhookEndpointHandle;
  removeWebhookEndpoint(id: string): void;
  /** Every webhook delivery attempt so far, in order. */
  deliveries(): DeliveryRecord[];
  /** Undelivered webhook jobs (first attempts and scheduled retries). */
  pendingDeliveries(): number;
  /** Runs renewals, retries and expiries due by `now()` for customers without a test clock. */
  tick(): { actions: number };
  close(): Promise<void>;
}

const DEFAULT_RETRY: WebhookRetryPolicy = { maxAttempts: 6, initialDelayMs: 50, maxDelayMs: 2_000, timeoutMs: 5_000 };

function send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A bare-bones stand-in for Stripe's hosted invoice page (the `hosted_invoice_url` of finalized invoices). */
function sendInvoicePage(res: ServerResponse, app: App, id: string): void {
  const rec = app.store.get('invoice', id);
  if (!rec) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('No such invoice');
    return;
  }
  const inv = app.render('invoice', rec);
  const money = (n: unknown) => `${(Number(n) / 100).toFixed(2)} ${String(inv.currency).toUpperCase()}`;
  const lines = ((inv.lines as JsonObject).data as JsonObject[])
    .map((l) => `<tr><td>${escapeHtml(String(l.description ?? ''))}</td><td>${money(l.amount)}</td></tr>`)
    .join('');
  const html = `<!doctype html><meta charset="utf-8"><title>Invoice ${escapeHtml(String(inv.number))}</title>
<h1>Invoice ${escapeHtml(String(inv.number))}</h1><p>Status: <strong>${escapeHtml(String(inv.status))}</strong></p>
<table>${lines}<tr><th>Total</th><th>${money(inv.total)}</th></tr><tr><th>Amount due</th><th>${money(inv.amount_due)}</th></tr></table>
<p><small>Local Stripe stand-in: no real payment was taken.</small></p>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

/**
 * The test clocks and whose they are, with buttons that advance them through the stand-in's own
 * API (`POST /v1/test_helpers/test_clocks/:id/advance`): how a person using the twin moves one
 * tenant's billing time on (a renewal, a failed payment, the dunning retries that follow).
 */
function sendClockPage(res: ServerResponse, app: App): void {
  const DAY = 86_400;
  const customers = app.store.all('customer').filter((c) => !c.__deleted);
  const rows = app.store
    .all('test_helpers.test_clock')
    .map((clock) => {
      const id = String(clock.id);
      const frozen = Number(clock.frozen_time);
      const owners = customers.filter((c) => c.test_clock === id);
      const ownerIds = new Set(owners.map((c) => String(c.id)));
      const periodEnds = app.store
        .all('subscription')
        .filter((sub) => ownerIds.has(String(sub.customer)) && !['canceled', 'incomplete_expired'].includes(String(sub.status)))
        .map((sub) => Number(sub.__period_end));
      const renewal = periodEnds.length > 0 ? Math.min(...periodEnds) : undefined;
      const button = (label: string, target: number) =>
        `<button data-clock="${escapeHtml(id)}" data-target="${target}">${escapeHtml(label)}</button>`;
      const day = (t: number) => new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 16);
      return `<tr><td>${escapeHtml(owners.map((c) => String(c.email ?? c.id)).join(', ') || '(no customer)')}</td>
<td>${day(frozen)}${clock.status === 'advancing' ? ' (advancing)' : ''}</td><td>${renewal ? day(renewal) : '–'}</td>
<td>${button('+1 day', frozen + DAY)} ${button('+2 days', frozen + 2 * DAY)} ${renewal && renewal > frozen ? button('to the renewal', renewal + RENEWAL_DRAFT_SECONDS + 60) : ''}</td></tr>`;
    })
    .join('');
  const html = `<!doctype html><meta charset="utf-8"><title>Stripe test clocks</title>
<h1>Stripe test clocks</h1>
<p>Each customer has a clock of its own. Advancing it renews subscriptions that fall due and retries payments; the dunning workflow's waits follow it.</p>
<table border="1" cellpadding="4"><tr><th>Customer</th><th>Clock time (UTC)</th><th>Next renewal</th><th>Advance</th></tr>${rows}</table>
<p id="status"></p>
<script>
for (const b of document.querySelectorAll('button[data-clock]')) {
  b.onclick = async () => {
    const res = await fetch('/v1/test_helpers/test_clocks/' + b.dataset.clock + '/advance', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_local', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'frozen_time=' + b.dataset.target,
    });
    const body = await res.json();
    document.getElementById('status').textContent = res.ok ? 'Advancing…' : body.error.message;
    if (res.ok) setTimeout(() => location.reload(), 500);
  };
}
</script>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `Authorization: Bearer sk_test_...` (or Basic with the key as user name); any test key works. */
function apiKeyError(header: string | undefined): StripeApiError | null {
  if (!header) {
    return new StripeApiError(
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      { status: 401 },
    );
  }
  let key = '';
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') key = value.trim();
  else if (scheme?.toLowerCase() === 'basic') key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  if (/^(sk|rk)_test_\w+/.test(key)) return null;
  const masked = key.length > 8 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(key.length - 12, 4))}${key.slice(-4)}` : key;
  return new StripeApiError('invalid_request_error', `Invalid API Key provided: ${masked}`, { status: 401, code: key ? 'api_key_invalid' : undefined });
}

export async function startStripeStandin(options: StripeStandinOptions = {}): Promise<StripeStandin> {
  const nowMs = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const faults = new Faults(options.faultSeed);
  const idempotency = new IdempotencyStore(nowMs);
  // Deliveries report back to the app (pending_webhooks), which in turn hands events to the dispatcher.
  const dispatcher = new WebhookDispatcher({ ...DEFAULT_RETRY, ...options.webhookRetry }, (eventId) => app.markDelivered(eventId));
  const app = new App(nowMs, options.apiVersion ?? Stripe.API_VERSION, {
    retryScheduleDays: options.retryScheduleDays ?? [3, 5, 7],
    onRetriesExhausted: options.onRetriesExhausted ?? 'cancel',
    incompleteExpirySeconds: 23 * 3600,
    customerTestClocks: options.customerTestClocks ?? false,
  }, dispatcher);
  app.log = log;

  const persistence = options.dataFile
    ? new Persistence(options.dataFile, () => ({ version: 1, store: app.store.toJSON(), idempotency: idempotency.toJSON() }))
    : null;
  const saved = persistence?.read();
  if (isObject(saved)) {
    app.store.load(saved.store ?? null);
    idempotency.load(saved.idempotency ?? null);
  }
  app.changed = () => persistence?.schedule();

  let optionEndpoints = 0;
  const addWebhookEndpoint = (ep: { url: string; secret?: string; enabledEvents?: string[] }): WebhookEndpointHandle => {
    optionEndpoints += 1;
    const id = `we_local_${optionEndpoints}`;
    const config: WebhookEndpointConfig = { url: ep.url, secret: ep.secret ?? `whsec_${randomToken(32)}`, enabledEvents: ep.enabledEvents };
    dispatcher.addEndpoint(id, config);
    return { id, url: config.url, secret: config.secret };
  };
  const registerStored = (rec: Rec) =>
    dispatcher.addEndpoint(String(rec.id), { url: String(rec.url), secret: String(rec.__secret), enabledEvents: rec.enabled_events as string[] });
  for (const ep of options.webhookEndpoints ?? []) addWebhookEndpoint(ep);
  for (const rec of app.store.all('webhook_endpoint')) if (rec.status === 'enabled') registerStored(rec);

  const router = new Router()
    .add(customerRoutes)
    .add(paymentMethodRoutes)
    .add(paymentIntentRoutes)
    .add(setupIntentRoutes)
    .add(catalogRoutes)
    .add(subscriptionRoutes)
    .add(invoiceRoutes)
    .add(invoiceItemRoutes)
    .add(testClockRoutes(options.clockAdvanceDelayMs ?? 20))
    .add(eventRoutes)
    .add(webhookEndpointRoutes(registerStored, (id) => dispatcher.removeEndpoint(id)));

  const tick = (): { actions: number } => {
    const actions = advanceTime(app, null, app.realNow());
    if (actions > 0) app.changed();
    return { actions };
  };

  const state: StandinState = {
    get customers() {
      return app.store.all('customer').filter((c) => !c.__deleted).map((c) => app.render('customer', c));
    },
    get paymentMethods() {
      return app.store.all('payment_method').map((r) => app.render('payment_method', r));
    },
    get products() {
      return app.store.all('product').map((r) => app.render('product', r));
    },
    get prices() {
      return app.store.all('price').map((r) => app.render('price', r));
    },
    get subscriptions() {
      return app.store.all('subscription').map((r) => app.render('subscription', r));
    },
    get invoices() {
      return app.store.all('invoice').map((r) => app.render('invoice', r));
    },
    get invoiceItems() {
      return app.store.all('invoiceitem').map((r) => app.render('invoiceitem', r));
    },
    get events() {
      return app.store.all('event').map((r) => app.render('event', r));
    },
    get testClocks() {
      return app.store.all('test_helpers.test_clock').map((r) => app.render('test_helpers.test_clock', r));
    },
    count(kind: Kind) {
      return app.store.all(kind).filter((r) => !r.__deleted).length;
    },
  };

  /** Local control endpoints (no API key) for tools running in another process. */
  async function control(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (pathname === '/_standin/health') return send(res, 200, { ok: true });
    const invoicePage = /^\/_standin\/invoices\/(in_\w+)$/.exec(pathname);
    if (invoicePage) return sendInvoicePage(res, app, invoicePage[1] as string);
    if (pathname === '/_standin/clocks') return sendClockPage(res, app);
    if (pathname === '/_standin/deliveries') return send(res, 200, dispatcher.deliveries() as unknown as Json);
    if (pathname === '/_standin/tick' && req.method === 'POST') return send(res, 200, tick());
    if (pathname === '/_standin/faults' && req.method === 'DELETE') {
      faults.clear();
      return send(res, 200, { ok: true });
    }
    if (pathname === '/_standin/faults' && req.method === 'POST') {
      const scope = { pathPrefix: json.pathPrefix as string | undefined, method: json.method as string | undefined };
      const when = json.when === 'after' ? 'after' : 'before';
      const count = Number(json.count ?? 1);
      const id =
        json.kind === 'latency' ? faults.latency(Number(json.ms ?? 0), { ...scope, count: json.count === undefined ? undefined : count })
        : json.kind === 'reset' ? faults.resetNext(count, scope)
        : json.rate !== undefined ? faults.failRate(Number(json.rate), { ...scope, when })
        : faults.failNext(count, { ...scope, when });
      return send(res, 200, { id });
    }
    if (pathname === '/_standin/webhook_endpoints' && req.method === 'POST') {
      return send(res, 200, { ...addWebhookEndpoint({ url: String(json.url), secret: json.secret as string | undefined }) });
    }
    return send(res, 404, { error: { type: 'invalid_request_error', message: `Unknown control endpoint ${pathname}` } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_${randomToken(14)}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string> = {
      'request-id': requestId,
      'stripe-version': String(req.headers['stripe-version'] ?? app.apiVersion),
    };
    const fail = (err: StripeApiError, extra: Record<string, string> = {}) => send(res, err.status, err.toBody(requestId), { ...headers, ...extra });

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'authorization, content-type, idempotency-key, stripe-version, stripe-account',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (method === 'GET' && (url.pathname === STRIPE_JS_PATH || url.pathname === '/v3')) {
      const origin = req.headers.host ? `http://${req.headers.host}` : app.baseUrl;
      const script = stripeJsSource(origin);
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'content-length': Buffer.byteLength(script),
        'cache-control': 'no-cache',
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      });
      return void res.end(script);
    }
    const authenticate = /^\/_standin\/setup_intents\/(seti_\w+)\/authenticate$/.exec(url.pathname);
    if (authenticate && method === 'POST') {
      try {
        const raw = await readBody(req);
        const params = String(req.headers['content-type'] ?? '').includes('json') ? paramsFromJson(JSON.parse(raw || '{}')) : decodeForm(raw);
        const si = requireClientSecret(app, authenticate[1] as string, params.client_secret);
        finishAuthentication({ app, origin: { id: requestId, idempotency_key: null } }, si, params.outcome === 'complete');
        app.changed();
        return send(res, 200, app.render('setup_intent', si), headers);
      } catch (err) {
        return fail(err instanceof StripeApiError ? err : invalidRequest('Invalid request body.'));
      }
    }
    const authenticatePayment = /^\/_standin\/payment_intents\/(pi_\w+)\/authenticate$/.exec(url.pathname);
    if (authenticatePayment && method === 'POST') {
      try {
        const raw = await readBody(req);
        const params = String(req.headers['content-type'] ?? '').includes('json') ? paramsFromJson(JSON.parse(raw || '{}')) : decodeForm(raw);
        const pi = requireClientSecret(app, authenticatePayment[1] as string, params.client_secret);
        finishPaymentAuthentication({ app, origin: { id: requestId, idempotency_key: null } }, pi, params.outcome === 'complete');
        app.changed();
        return send(res, 200, app.render('payment_intent', pi), headers);
      } catch (err) {
        return fail(err instanceof StripeApiError ? err : invalidRequest('Invalid request body.'));
      }
    }
    if (url.pathname.startsWith('/_standin/')) return control(req, res, url.pathname);

    // Stripe.js sends the publishable key as the `key` parameter (no preflight); servers send a Bearer key.
    const queryKey = url.searchParams.get('key') ?? undefined;
    const bearer = /^bearer\s+(pk_\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let publishable = !req.headers.authorization && isPublishableKey(queryKey) ? queryKey : bearer;
    if (!publishable && !req.headers.authorization && method === 'POST' && String(req.headers['content-type'] ?? '').includes('form')) {
      // Peeked below once the body has been read.
      publishable = 'body';
    }
    if (!publishable) {
      const authError = apiKeyError(req.headers.authorization);
      if (authError) return fail(authError);
    }

    const decision = faults.decide(method, url.pathname);
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.reset) {
      req.socket.destroy();
      return;
    }

    const body = await readBody(req);
    let params: Params;
    try {
      params = decodeForm(url.search.slice(1));
      if (body) {
        const fromBody = String(req.headers['content-type'] ?? '').includes('json') ? paramsFromJson(JSON.parse(body)) : decodeForm(body);
        params = { ...params, ...fromBody };
      }
    } catch (err) {
      return fail(err instanceof StripeApiError ? err : invalidRequest('Invalid request body.'));
    }
    if (publishable) {
      const key = publishable === 'body' ? (typeof params.key === 'string' ? params.key : undefined) : publishable;
      if (isPublishableKey(key)) {
        try {
          checkPublishableAccess(app, method, url.pathname, params);
        } catch (err) {
          return fail(err as StripeApiError);
        }
      } else {
        const authError = apiKeyError(key ? `Bearer ${key}` : undefined);
        if (authError) return fail(authError);
        delete params.key;
      }
    }

    const match = router.match(method, url.pathname);
    if (!match || 'methodNotAllowed' in match) {
      return fail(
        invalidRequest(`Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, { status: 404 }),
      );
    }

    const key = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    if (key) {
      headers['idempotency-key'] = key;
      const lookup = idempotency.begin(key, fingerprint(method, url.pathname, params));
      if (lookup.kind === 'mismatch') return fail(idempotencyMismatch(key));
      if (lookup.kind === 'in_flight') return fail(idempotencyInFlight());
      if (lookup.kind === 'replay') {
        return send(res, lookup.response.status, lookup.response.body, { ...headers, 'idempotent-replayed': 'true', 'original-request': lookup.response.requestId });
      }
    }

    if (decision.error?.when === 'before') {
      if (key) idempotency.release(key);
      log(`fault: ${method} ${url.pathname} → ${decision.error.status} before execution`);
      return fail(new StripeApiError('api_error', 'An unknown error occurred (fault injected by the local Stripe stand-in).', { status: decision.error.status }), { 'stripe-should-retry': 'true' });
    }

    const op: Op = { app, origin: { id: requestId, idempotency_key: key ?? null } };
    let status = 200;
    let responseBody: JsonObject;
    let remember = true;
    try {
      const result = Router.run(match.route, { app, op, method: method as Method, params, path: match.path });
      responseBody = expand(app, result, expandPaths(params));
    } catch (err) {
      if (err instanceof StripeApiError) {
        status = err.status;
        responseBody = err.toBody(requestId);
        remember = err.replayable;
      } else {
        log(`internal error on ${method} ${url.pathname}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        status = 500;
        responseBody = new StripeApiError('api_error', `Internal error in the local Stripe stand-in: ${err instanceof Error ? err.message : String(err)}`).toBody(requestId);
        remember = false;
      }
    }
    if (key) {
      if (remember) idempotency.complete(key, { status, body: responseBody, requestId });
      else idempotency.release(key);
    }
    if (method !== 'GET') app.changed();
    log(`${method} ${url.pathname} → ${status}`);

    if (decision.error?.when === 'after') {
      log(`fault: ${method} ${url.pathname} response replaced by ${decision.error.status}`);
      return fail(new StripeApiError('api_error', 'An unknown error occurred (fault injected by the local Stripe stand-in after the request was processed).', { status: decision.error.status }));
    }
    send(res, status, responseBody, headers);
  }

  const server: Server = createServer((req, res) => {
    // As api.stripe.com: any origin may call the API (keys, not origins, are what is checked).
    res.setHeader('access-control-allow-origin', '*');
    handle(req, res).catch((err: unknown) => {
      log(`unhandled: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) send(res, 500, { error: { type: 'api_error', message: 'Internal error in the local Stripe stand-in.' } });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  app.baseUrl = `http://${host}:${port}`;
  const ticker = options.tickIntervalMs ? setInterval(tick, options.tickIntervalMs) : null;
  ticker?.unref();

  return {
    url: `http://${host}:${port}`,
    stripeJsUrl: `http://${host}:${port}${STRIPE_JS_PATH}`,
    host,
    port,
    faults,
    state,
    addWebhookEndpoint,
    removeWebhookEndpoint: (id) => dispatcher.removeEndpoint(id),
    deliveries: () => dispatcher.deliveries(),
    pendingDeliveries: () => dispatcher.pendingCount(),
    tick,
    async close() {
      if (ticker) clearInterval(ticker);
      app.cancelScheduled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
      persistence?.flush();
    },
  };
}

/** A real Stripe SDK client pointed at the stand-in (no automatic retries unless asked for). */
export function stripeClientFor(standin: Pick<StripeStandin, 'host' | 'port'>, config: Stripe.StripeConfig = {}): Stripe {
  return new Stripe('sk_test_local', { host: standin.host, port: standin.port, protocol: 'http', maxNetworkRetries: 0, ...config });
}
