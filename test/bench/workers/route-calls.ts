/**
 * Worker: DynamoDB calls per request. The handlers of a fresh twin reach DynamoDB Local through
 * a counting proxy (set as AWS_ENDPOINT_URL_DYNAMODB before any handler module loads). One
 * representative request per route, one at a time, each expected to answer its contract's
 * success status.
 *
 * A request may start workflows, whose tasks run in this process too and may call DynamoDB
 * while the request is still being answered. So calls made in an API request's async context
 * carry a marker header (added by a middleware on the functions' DynamoDB client), and the
 * workflows' calls are counted apart, once they have finished.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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
  /** Made by the workflows the request started, until they finished. */
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
const WORKFLOW_SETTLE_MS = 30_000;

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

  async function send(method: string, path: string, init: { body?: unknown; token?: string }) {
    const response = await fetch(`${twin.url}${path}`, {
      method,
      headers: {
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...(init.token && { authorization: `Bearer ${init.token}` }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
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

  /** Polls until no workflow execution is running; false if some still are at the time limit. */
  async function workflowsSettled(): Promise<boolean> {
    const deadline = Date.now() + WORKFLOW_SETTLE_MS;
    for (;;) {
      const running = workflows.some((w) => twin.integrations.workflows.list(w.id, 'RUNNING').length > 0);
      if (!running) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** One counted request, which must answer the route's success status. */
  async function call(id: RouteId, path: string, init: { body?: unknown; token?: string } = {}) {
    const route = routes.find((r) => r.id === id)!;
    const expected = contracts[id].success.status;
    const before = proxy.snapshot();
    const response = await send(route.method, path, init);
    const settled = await workflowsSettled();
    const after = proxy.snapshot();
    if (response.status !== expected) {
      throw new StepFailed(`${route.method} ${path} answered ${response.status}, expected ${expected}: ${response.text.slice(0, 200)}`);
    }
    if (!settled) problems.set(id, `workflows still running ${WORKFLOW_SETTLE_MS / 1000} s after the answer; background count incomplete`);
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
