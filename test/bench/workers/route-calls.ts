/**
 * Worker: DynamoDB calls per request. The handlers of a fresh twin reach DynamoDB Local through
 * a counting proxy (set as AWS_ENDPOINT_URL_DYNAMODB before any handler module loads). One
 * representative request per route, one at a time, each expected to answer its contract's
 * success status.
 *
 * A request may start workflows, or put an event on the bus for a consumer, which run in this
 * process too and may call DynamoDB while the request is still being answered. So calls made in
 * an API request's async context carry a marker header (added by a middleware on the functions'
 * DynamoDB client), and the workflows' and consumers' calls are counted apart, once they have
 * finished.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Stripe from 'stripe';
import { getDocumentClient } from '../../../functions/adapters/dynamodb/client';
import { contracts } from '../../../functions/api/contracts';
import { routes, type RouteId } from '../../../functions/routes';
import { workflows } from '../../../functions/workflows';
import { startBenchTwin, type BenchTwin } from './bench-twin';
import { countsBetween, ORIGIN_HEADER, startCountingProxy, type CallCounts, type CountingProxy } from './counting-proxy';
import { runWorker } from './ipc';

export interface RouteCallsInput {
  readonly dynamoEndpoint: string;
}

export interface RouteCalls {
  readonly id: RouteId;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Made by the request's handler (and authorizer). */
  readonly counts: CallCounts;
  /** Made by the workflows and event consumers the request set off, until they finished. */
  readonly background: CallCounts;
}

export interface RouteCallsReady {
  readonly measured: readonly RouteCalls[];
  /** Manifest routes without a measurement. */
  readonly unmeasured: readonly string[];
  /** Why: steps that failed (and what they skipped), or workflows that did not finish. */
  readonly problems: readonly string[];
}

const PASSWORD = 'Bench-parking-2026';
const EMAIL = 'bench.user@example.com';
const SETTLE_MS = 30_000;

runWorker<RouteCallsInput, RouteCallsReady>(async ({ dynamoEndpoint }) => {
  const proxy = await startCountingProxy(dynamoEndpoint);
  let twin: BenchTwin | undefined;
  const close = async () => {
    await twin?.close();
    await proxy.close();
  };
  try {
    const inRequest = new AsyncLocalStorage<true>();
    twin = await startBenchTwin({
      dynamoEndpoint,
      handlerDynamoEndpoint: proxy.url,
      aroundRequest: (handle) => inRequest.run(true, handle),
    });
    // The one DynamoDB client every function uses, shared by the handler modules in this process.
    getDocumentClient().middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (inRequest.getStore() && request.headers) request.headers[ORIGIN_HEADER] = 'request';
        return next(args);
      },
      { step: 'build', name: 'benchRequestOrigin' },
    );
    return { data: await measureRoutes(twin, proxy), close };
  } catch (error) {
    await close();
    throw error;
  }
});

class StepFailed extends Error {}

async function measureRoutes(twin: BenchTwin, proxy: CountingProxy): Promise<RouteCallsReady> {
  const measured: RouteCalls[] = [];
  const problems = new Map<string, string>();

  /** `rawBody` is sent as it is (a signed webhook payload must arrive byte for byte), `body` as JSON. */
  interface Send {
    body?: unknown;
    rawBody?: string;
    token?: string;
    headers?: Record<string, string>;
  }

  async function send(method: string, path: string, init: Send) {
    const body = init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined);
    const response = await fetch(`${twin.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(init.token && { authorization: `Bearer ${init.token}` }),
        ...init.headers,
      },
      ...(body !== undefined && { body }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // Not JSON: only the status matters then.
    }
    return { status: response.status, text, json };
  }

  /**
   * Polls until no workflow execution is running and the event bus has no delivery in flight or
   * waiting to retry; false if something still is at the time limit.
   */
  async function backgroundSettled(): Promise<boolean> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const running = workflows.some((w) => twin.integrations.workflows.list(w.id, 'RUNNING').length > 0);
      if (!running) {
        const idle = await twin.integrations.bus.waitForIdle(Math.max(deadline - Date.now(), 1)).then(
          () => true,
          () => false,
        );
        // A consumer could start a workflow: settled once both are quiet together.
        if (!idle) return false;
        if (!workflows.some((w) => twin.integrations.workflows.list(w.id, 'RUNNING').length > 0)) return true;
      }
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** One counted request, which must answer the route's success status. */
  async function call(id: RouteId, path: string, init: Send = {}) {
    const route = routes.find((r) => r.id === id)!;
    const expected = contracts[id].success.status;
    const before = proxy.snapshot();
    const response = await send(route.method, path, init);
    const settled = await backgroundSettled();
    const after = proxy.snapshot();
    if (response.status !== expected) {
      throw new StepFailed(`${route.method} ${path} answered ${response.status}, expected ${expected}: ${response.text.slice(0, 200)}`);
    }
    if (!settled) problems.set(id, `workflows or event deliveries still running ${SETTLE_MS / 1000} s after the answer; background count incomplete`);
    measured.push({
      id,
      method: route.method,
      path: route.path,
      status: response.status,
      counts: countsBetween(before.request, after.request),
      background: countsBetween(before.other, after.other),
    });
    return response.json;
  }

  /** A chain of dependent steps: the first failure is recorded and the rest of the chain skipped. */
  async function chain(name: string, steps: () => Promise<void>) {
    try {
      await steps();
    } catch (error) {
      problems.set(name, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * A new token's first request runs the authorizer, which reads the user (one GetItem); API
   * Gateway then caches its answer for the token (30 s), so later requests skip it. Made unmeasured
   * right after each login, so that read is not counted against whichever route comes first.
   */
  async function firstUse(token: string, userId: string) {
    const response = await send('GET', `/users/${userId}`, { token });
    if (response.status !== 200) throw new StepFailed(`GET /users/${userId} (the token's first use) answered ${response.status}`);
  }

  const text = (value: unknown, name: string): string => {
    if (typeof value !== 'string') throw new StepFailed(`No ${name} in the answer`);
    return value;
  };

  const state: { userId?: string; token?: string; adminToken?: string; carparkId?: string; card?: boolean } = {};
  const need = <K extends keyof typeof state>(key: K): NonNullable<(typeof state)[K]> => {
    const value = state[key];
    if (value === undefined) throw new StepFailed(`skipped: an earlier step that provides ${key} failed`);
    return value as NonNullable<(typeof state)[K]>;
  };

  await chain('system', async () => {
    await call('Health', '/health');
    await call('OpenApi', '/openapi.json');
  });

  await chain('account', async () => {
    const user = await call('CreateUser', '/users', { body: { email: EMAIL, password: PASSWORD, name: 'Bench User', accountType: 'individual' } });
    state.userId = text(user.userId, 'userId');
    state.token = text((await call('Login', '/auth/login', { body: { email: EMAIL, password: PASSWORD } })).token, 'token');
    await firstUse(state.token, state.userId);
    await call('GetUser', `/users/${state.userId}`, { token: state.token });
    await call('UpdateUser', `/users/${state.userId}`, { token: state.token, body: { name: 'Bench User Renamed' } });
  });

  await chain('operators and car parks', async () => {
    // Setting up: the demo admin's token (not a measured request).
    const admin = twin.logins.find((login) => login.role === 'admin');
    if (!admin) throw new StepFailed('The demo data has no admin login');
    const login = await send('POST', '/auth/login', { body: { email: admin.email, password: admin.password } });
    state.adminToken = text(login.json.token, 'admin token');
    const token = state.adminToken;
    await firstUse(token, text((login.json.user as { userId?: unknown } | undefined)?.userId, 'admin userId'));

    const operator = await call('CreateOperator', '/operators', { token, body: { name: 'Bench Parking Ltd', contactEmail: 'ops@bench.example' } });
    const operatorId = text(operator.operatorId, 'operatorId');
    await call('GetOperator', `/operators/${operatorId}`, { token });
    const carpark = await call('CreateCarpark', '/carparks', {
      token,
      body: {
        operatorId,
        name: 'Bench Yard',
        address: { line1: '1 Bench Street', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
        currency: 'gbp',
        prices: { car: 10_000, motorcycle: 4_000 },
        capacity: { car: 10, motorcycle: 2 },
        smartParkingSiteId: 'SP-BENCH-1',
        supportEmail: 'support@bench.example',
      },
    });
    state.carparkId = text(carpark.carparkId, 'carparkId');
    await call('ListCarparks', '/carparks');
    await call('GetCarpark', `/carparks/${state.carparkId}`);
    await call('UpdateCarpark', `/carparks/${state.carparkId}`, { token, body: { prices: { car: 11_000, motorcycle: 4_500 } } });
  });

  await chain('billing', async () => {
    const token = need('token');
    await call('CreateBilling', '/billing', { token });
    // A Stripe test card, as the web site's card form would attach.
    await call('UpdateBilling', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_visa' } });
    state.card = true;
    await call('GetBilling', '/billing', { token });
    await call('CreateSetupIntent', '/billing/setup-intent', { token });
  });

  await chain('tenancies', async () => {
    const token = need('token');
    const carparkId = need('carparkId');
    need('card');
    const created = await call('CreateTenancy', '/tenancies', { token, body: { carparkId, vehicleType: 'car', plate: 'BN24 KXY' } });
    const tenancyId = text((created.tenancy as { tenancyId?: unknown } | undefined)?.tenancyId, 'tenancyId');
    await call('ListTenancies', '/tenancies', { token });
    await call('GetTenancy', `/tenancies/${tenancyId}`, { token });
    await call('UpdateTenancy', `/tenancies/${tenancyId}`, { token, body: { plate: 'BN24 KXZ' } });
    await call('CancelTenancy', `/tenancies/${tenancyId}`, { token });
  });

  await chain('contact form', async () => {
    // About the bench car park when there is one: its support address gets the message.
    const carparkId = state.carparkId;
    await call('Contact', '/contact', {
      body: { name: 'Bench Visitor', email: 'visitor@bench.example', message: 'Is there EV charging?', ...(carparkId && { carparkId }) },
    });
  });

  await chain('stripe webhook', async () => {
    const token = need('token');
    // The stand-in's own invoice.paid for the tenancy above, delivered as Stripe would: signed
    // with the webhook secret. The bench twin has no webhook endpoint at the stand-in, so this
    // is the event's first delivery, and its consumer sends the receipt.
    const customerId = text((await send('GET', '/billing', { token })).json.customerId, 'customerId');
    const events = twin.integrations.stripe.state.events as unknown as { id: string; type: string; data: { object: { customer?: unknown } } }[];
    const paid = events.findLast((e) => e.type === 'invoice.paid' && e.data.object.customer === customerId);
    if (!paid) throw new StepFailed(`No invoice.paid event for ${customerId} at the Stripe stand-in`);
    const payload = JSON.stringify(paid);
    const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret: twin.stripeWebhookSecret });
    const deliveries = twin.integrations.bus.deliveries().length;
    await call('StripeWebhook', '/webhooks/stripe', { rawBody: payload, headers: { 'stripe-signature': signature } });
    const consumed = twin.integrations.bus.deliveries().slice(deliveries);
    if (!consumed.some((d) => d.ruleId === 'InvoicePaid' && d.outcome === 'succeeded')) {
      problems.set('StripeWebhook', `the InvoicePaid consumer did not succeed (${consumed.map((d) => `${d.ruleId} ${d.outcome}`).join(', ') || 'no delivery'})`);
    }
  });

  // Last: it changes the password the account above was created with.
  await chain('password reset', async () => {
    await call('ForgotPassword', '/auth/forgot-password', { body: { email: EMAIL } });
    const resetToken = await resetTokenFromOutbox(twin.standins.endpoint, EMAIL);
    await call('ResetPassword', '/auth/reset-password', { body: { token: resetToken, password: 'Bench-parking-2027' } });
  });

  const done = new Set(measured.map((m) => m.id));
  const unmeasured = routes
    .filter((route) => !done.has(route.id))
    .map((route) => `${route.method} ${route.path} (${route.id})`);
  return { measured, unmeasured, problems: [...problems].map(([step, problem]) => `${step}: ${problem}`) };
}

/** The reset link's token from the newest email to `email`, through the stand-ins' outbox API. */
async function resetTokenFromOutbox(standinsUrl: string, email: string): Promise<string> {
  const response = await fetch(`${standinsUrl}/outbox.json`, { signal: AbortSignal.timeout(10_000) });
  const messages = (await response.json()) as { to: string[]; text: string | null }[];
  const message = messages.find((m) => m.to.includes(email));
  const token = /reset-password\?token=([^\s"<]+)/.exec(message?.text ?? '')?.[1];
  if (!token) throw new StepFailed(`No reset email for ${email} in the outbox (${messages.length} messages)`);
  return decodeURIComponent(token);
}
