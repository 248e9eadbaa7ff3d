/**
 * The tenancy workflows on a fresh twin (its own worker process, the simulators at zero added
 * latency and without faults, waits scaled to nothing): how long POST /tenancies takes to become
 * `active`, and how many state transitions each workflow of a tenancy's life costs.
 *
 * This process is the client, over HTTP as a browser would be; what only the twin's workflow
 * engine knows (an execution's dates, its state transitions) the worker reports on request.
 */
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH } from './config';
import { percentile } from './stats';
import { startWorker, type Worker } from './workers/ipc';
import type { ExecutionFacts, ExecutionQuery, ExecutionsQuestion, TwinServerInput, TwinServerReady } from './workers/twin-server';

// --- results ---------------------------------------------------------------------------------

export interface Distribution {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface SetupTimeResult {
  readonly count: number;
  readonly concurrency: number;
  readonly tenants: number;
  readonly pollIntervalMs: number;
  /** POST sent → the first GET that shows the tenancy `active` (answer received). The target's figure. */
  readonly active: Distribution;
  /** The same, for the first tenancy of each tenant (creates the Stripe subscription) and the others (raise its quantity). */
  readonly activeFirstOfTenant: Distribution;
  readonly activeLater: Distribution;
  /** POST sent → its 202. */
  readonly accepted: Distribution;
  /** The setup execution's own startDate → stopDate, from the engine (ms resolution). */
  readonly execution: Distribution;
  /** POST sent → the execution's stopDate (both wall clocks of this one machine). */
  readonly postToExecutionStop: Distribution;
  /** State transitions of the setup executions (all the same on a clean run). */
  readonly setupTransitions: readonly number[];
  readonly polls: number;
  readonly seconds: number;
  /** Tenancies that did not become active, or requests that failed. */
  readonly failures: readonly string[];
}

export interface LifecycleStep {
  readonly id: 'setup' | 'plate' | 'vehicle' | 'cancel' | 'failedSetup';
  readonly label: string;
  readonly request: string;
  readonly execution: ExecutionFacts;
  /** The tenancy as the API showed it afterwards. */
  readonly tenancyStatus: string;
}

export interface LifecycleResult {
  readonly carpark: string;
  readonly steps: readonly LifecycleStep[];
  readonly problems: readonly string[];
}

export interface TenancyFlowsResult {
  readonly setup: SetupTimeResult;
  readonly lifecycle: LifecycleResult;
}

// --- a small keep-alive JSON client ----------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly text: string;
}

function createClient(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const send = (method: string, path: string, init: { body?: unknown; token?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const body = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
      const request = http.request(
        {
          hostname: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: {
            ...(body && { 'content-type': 'application/json', 'content-length': body.length }),
            ...(init.token && { authorization: `Bearer ${init.token}` }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              // Not JSON: the status and text say enough.
            }
            resolve({ status: response.statusCode ?? 0, json, text });
          });
          response.on('error', reject);
        },
      );
      request.setTimeout(BENCH.tenancies.requestTimeoutMs, () =>
        request.destroy(new Error(`${method} ${path} took over ${BENCH.tenancies.requestTimeoutMs} ms`)),
      );
      request.on('error', reject);
      request.end(body);
    });
  /** A request that must answer `expected`; its JSON body. */
  const expect = async (expected: number, method: string, path: string, init: { body?: unknown; token?: string } = {}) => {
    const answer = await send(method, path, init);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 300)}`);
    }
    return answer.json;
  };
  return { send, expect, close: () => agent.destroy() };
}

type Client = ReturnType<typeof createClient>;

const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new Error(`No ${what} in the answer`);
  return value;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PASSWORD = 'Bench-parking-2026';

/** Signs a tenant up, logs in, creates the Stripe customer and attaches a test card; the token. */
async function tenantWithCard(client: Client, email: string, paymentMethod: string): Promise<string> {
  await client.expect(201, 'POST', '/users', { body: { email, password: PASSWORD, name: email.split('@')[0], accountType: 'individual' } });
  const token = text((await client.expect(200, 'POST', '/auth/login', { body: { email, password: PASSWORD } })).token, 'token');
  await client.expect(200, 'POST', '/billing', { token });
  await client.expect(200, 'PATCH', '/billing', { token, body: { defaultPaymentMethod: paymentMethod } });
  return token;
}

async function loginAs(client: Client, logins: TwinServerReady['logins'], role: string): Promise<string> {
  const login = logins.find((l) => l.role === role);
  if (!login) throw new Error(`The demo data has no ${role} login`);
  return text((await client.expect(200, 'POST', '/auth/login', { body: { email: login.email, password: login.password } })).token, 'token');
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function distribution(values: readonly number[]): Distribution {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? Math.max(...values) : Number.NaN };
}

// --- the measurement -------------------------------------------------------------------------

export async function measureTenancyFlows(dynamoEndpoint: string, progress: (line: string) => void): Promise<TenancyFlowsResult> {
  progress('starting a fresh twin (stand-ins at zero latency, no faults; waits scaled to nothing)…');
  const twin = await startWorker<TwinServerReady>(
    'tenancy twin',
    path.join(import.meta.dirname, 'workers', 'twin-server.ts'),
    { dynamoEndpoint } satisfies TwinServerInput,
    BENCH.workerStartTimeoutMs,
  );
  const client = createClient(twin.data.url);
  try {
    progress(`twin on ${twin.data.url}`);
    const lifecycle = await measureLifecycle(twin, client, progress);
    const setup = await measureSetupTime(twin, client, progress);
    return { setup, lifecycle };
  } finally {
    client.close();
    await twin.stop();
  }
}

const executions = (twin: Worker<TwinServerReady>, queries: readonly ExecutionQuery[]) =>
  twin.request<ExecutionFacts[]>(
    { type: 'executions', executions: queries, timeoutMs: BENCH.tenancies.workflowTimeoutMs } satisfies ExecutionsQuestion,
    // All are awaited together in the worker, each within workflowTimeoutMs.
    BENCH.tenancies.workflowTimeoutMs + 15_000,
  );

/**
 * One tenancy's life at the seeded Northgate Multi-Storey (car, motorcycle, ev prices): set up,
 * change the plate, change to a motorcycle, cancel; each step's workflow waited for before the
 * next. Then, apart, a setup that fails on a declined card.
 */
async function measureLifecycle(twin: Worker<TwinServerReady>, client: Client, progress: (line: string) => void): Promise<LifecycleResult> {
  const listed = await client.expect(200, 'GET', '/carparks');
  const northgate = (listed.items as { carparkId: string; name: string }[] | undefined)?.find((c) => c.name === 'Northgate Multi-Storey');
  if (!northgate) throw new Error('The demo data has no "Northgate Multi-Storey" car park');
  const { carparkId } = northgate;
  const steps: LifecycleStep[] = [];
  const problems: string[] = [];

  const step = async (
    id: LifecycleStep['id'],
    label: string,
    request: string,
    query: ExecutionQuery,
    token: string,
    tenancyId: string,
    expected: { execution: string; tenancy: string },
  ) => {
    const [execution] = await executions(twin, [query]);
    const tenancy = await client.expect(200, 'GET', `/tenancies/${tenancyId}`, { token });
    const tenancyStatus = text(tenancy.status, 'status');
    steps.push({ id, label, request, execution: execution!, tenancyStatus });
    if (execution!.status !== expected.execution || tenancyStatus !== expected.tenancy) {
      problems.push(
        `${label}: execution ${execution!.status}${execution!.error ? ` (${execution!.error})` : ''}, tenancy ${tenancyStatus}; ` +
          `expected ${expected.execution} and ${expected.tenancy}`,
      );
    }
    if (execution!.retries > 0) problems.push(`${label}: ${execution!.retries} retries, counted in its transitions`);
    progress(`${label.padEnd(26)} ${execution!.status.padEnd(9)} ${String(execution!.stateTransitions).padStart(3)} state transitions`);
    return tenancy;
  };

  const token = await tenantWithCard(client, 'bench.lifecycle@bench.example', 'pm_card_visa');
  const created = await client.expect(202, 'POST', '/tenancies', { token, body: { carparkId, vehicleType: 'car', plate: 'BN24LCA' } });
  const tenancyId = text((created.tenancy as { tenancyId?: unknown } | undefined)?.tenancyId, 'tenancyId');
  await step('setup', 'Setup', 'POST /tenancies (car)', { workflowId: 'TenancySetup', name: `setup-${tenancyId}` }, token, tenancyId, {
    execution: 'SUCCEEDED',
    tenancy: 'active',
  });

  await client.expect(202, 'PATCH', `/tenancies/${tenancyId}`, { token, body: { plate: 'BN24LCB' } });
  await step('plate', 'Plate change', 'PATCH {plate}', { workflowId: 'PlateChange', namePrefix: `plate-${tenancyId}-BN24LCB-` }, token, tenancyId, {
    execution: 'SUCCEEDED',
    tenancy: 'active',
  });

  await client.expect(202, 'PATCH', `/tenancies/${tenancyId}`, { token, body: { vehicleType: 'motorcycle' } });
  const changed = await step(
    'vehicle',
    'Vehicle type change',
    "PATCH {vehicleType: 'motorcycle'}",
    { workflowId: 'VehicleChange', namePrefix: `vehicle-${tenancyId}-` },
    token,
    tenancyId,
    { execution: 'SUCCEEDED', tenancy: 'active' },
  );
  if (changed.vehicleType !== 'motorcycle') problems.push(`Vehicle type change: the tenancy is still a ${String(changed.vehicleType)}`);

  await client.expect(202, 'DELETE', `/tenancies/${tenancyId}`, { token });
  await step('cancel', 'Cancellation', 'DELETE', { workflowId: 'TenancyCancellation', namePrefix: `cancel-${tenancyId}-` }, token, tenancyId, {
    execution: 'SUCCEEDED',
    tenancy: 'ended',
  });

  // For reference: a setup the card refuses (a tenant of its own), compensated and ended.
  progress('next, a declined card: the sync-billing task logs a PaymentDeclined warning, as expected');
  const declinedToken = await tenantWithCard(client, 'bench.declined@bench.example', 'pm_card_chargeCustomerFail');
  const refused = await client.expect(202, 'POST', '/tenancies', { token: declinedToken, body: { carparkId, vehicleType: 'car', plate: 'BN24LCD' } });
  const refusedId = text((refused.tenancy as { tenancyId?: unknown } | undefined)?.tenancyId, 'tenancyId');
  await step(
    'failedSetup',
    'Setup, card declined',
    'POST /tenancies (pm_card_chargeCustomerFail)',
    { workflowId: 'TenancySetup', name: `setup-${refusedId}` },
    declinedToken,
    refusedId,
    // The workflow handles the refusal (compensates, emails) and ends normally.
    { execution: 'SUCCEEDED', tenancy: 'failed' },
  );
  return { carpark: northgate.name, steps, problems };
}

/**
 * `count` tenancies at a car park of their own (created by the seeded operator, with room for
 * all), `concurrency` lanes each with its own tenants. Each tenancy: POST, then GET every
 * `pollIntervalMs` until `active`. The setup executions' own dates are asked of the twin afterwards.
 */
async function measureSetupTime(twin: Worker<TwinServerReady>, client: Client, progress: (line: string) => void): Promise<SetupTimeResult> {
  const { count, concurrency, tenants, pollIntervalMs, perTenancyTimeoutMs, timeLimitMs } = BENCH.tenancies;
  if (tenants % concurrency !== 0) throw new Error('BENCH.tenancies.tenants must be a multiple of its concurrency');
  if (count > 1000) throw new Error('BENCH.tenancies.count is at most 1000 (three-digit plates)');

  const operatorToken = await loginAs(client, twin.data.logins, 'operator');
  const carpark = await client.expect(201, 'POST', '/carparks', {
    token: operatorToken,
    body: {
      name: 'Bench Setup Yard',
      address: { line1: '1 Bench Street', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
      currency: 'gbp',
      prices: { car: 10_000 },
      // Room for every tenancy and the warm-up: none may meet carpark_full.
      capacity: { car: count + 10 },
      smartParkingSiteId: 'SP-BENCH-SETUP',
      supportEmail: 'support@bench.example',
    },
  });
  const carparkId = text(carpark.carparkId, 'carparkId');

  const tokens: string[] = new Array<string>(tenants);
  await inPool(
    Array.from({ length: tenants }, (_, i) => i),
    4,
    async (i) => void (tokens[i] = await tenantWithCard(client, `bench.tenant${i}@bench.example`, 'pm_card_visa')),
  );
  const warmToken = await tenantWithCard(client, 'bench.warmup@bench.example', 'pm_card_visa');
  progress(`car park for ${count + 10} cars and ${tenants} tenants with a card ready`);

  interface Sample {
    readonly index: number;
    readonly tenancyId: string;
    readonly sentAtWallMs: number;
    readonly acceptedMs: number;
    readonly activeMs: number;
  }
  let polls = 0;

  /** One tenancy: POST, then poll until active. */
  const rentAndWait = async (token: string, plate: string): Promise<Omit<Sample, 'index'>> => {
    const sentAtWallMs = Date.now();
    const sentAt = performance.now();
    const answer = await client.send('POST', '/tenancies', { token, body: { carparkId, vehicleType: 'car', plate } });
    const acceptedMs = performance.now() - sentAt;
    if (answer.status !== 202) throw new Error(`POST /tenancies (${plate}) answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    const tenancyId = text((answer.json.tenancy as { tenancyId?: unknown } | undefined)?.tenancyId, 'tenancyId');
    for (;;) {
      const polled = await client.send('GET', `/tenancies/${tenancyId}`, { token });
      const elapsed = performance.now() - sentAt;
      polls += 1;
      if (polled.status !== 200) throw new Error(`GET /tenancies/${tenancyId} answered ${polled.status}: ${polled.text.slice(0, 200)}`);
      if (polled.json.status === 'active') return { tenancyId, sentAtWallMs, acceptedMs, activeMs: elapsed };
      if (polled.json.status !== 'pending') {
        throw new Error(`Tenancy ${plate} became ${String(polled.json.status)}${polled.json.failureReason ? `: ${String(polled.json.failureReason)}` : ''}`);
      }
      if (elapsed > perTenancyTimeoutMs) throw new Error(`Tenancy ${plate} was not active after ${perTenancyTimeoutMs / 1000} s`);
      await sleep(pollIntervalMs);
    }
  };

  // Unmeasured: the setup's task modules load on their first invocation.
  await rentAndWait(warmToken, 'BN999XY');
  progress('warm-up tenancy active; measuring…');

  const samples: Sample[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const deadline = started + timeLimitMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      // Lane `lane` takes tenancies lane, lane + concurrency, …; tenant = index % tenants, so its tenants are its own.
      for (let index = lane; index < count && performance.now() < deadline; index += concurrency) {
        const plate = `BN${String(index).padStart(3, '0')}XY`;
        try {
          samples.push({ index, ...(await rentAndWait(tokens[index % tenants]!, plate)) });
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
        if ((samples.length + failures.length) % 25 === 0) progress(`${samples.length + failures.length} of ${count} done`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (samples.length + failures.length < count) failures.push(`time limit: ${count - samples.length - failures.length} tenancies not started`);

  const facts = await executions(
    twin,
    samples.map((s) => ({ workflowId: 'TenancySetup', name: `setup-${s.tenancyId}` })),
  );
  const byName = new Map(facts.map((f) => [f.name, f]));
  const stopped = samples.flatMap((s) => {
    const fact = byName.get(`setup-${s.tenancyId}`);
    return fact && fact.stopMs !== null ? [{ sample: s, fact, stopMs: fact.stopMs }] : [];
  });
  for (const fact of facts) if (fact.status !== 'SUCCEEDED') failures.push(`${fact.name}: ${fact.status}`);

  const firstOfTenant = (s: Sample) => s.index < tenants;
  return {
    count,
    concurrency,
    tenants,
    pollIntervalMs,
    active: distribution(samples.map((s) => s.activeMs)),
    activeFirstOfTenant: distribution(samples.filter(firstOfTenant).map((s) => s.activeMs)),
    activeLater: distribution(samples.filter((s) => !firstOfTenant(s)).map((s) => s.activeMs)),
    accepted: distribution(samples.map((s) => s.acceptedMs)),
    execution: distribution(stopped.map(({ fact, stopMs }) => stopMs - fact.startMs)),
    postToExecutionStop: distribution(stopped.map(({ sample, stopMs }) => stopMs - sample.sentAtWallMs)),
    setupTransitions: [...new Set(facts.map((f) => f.stateTransitions))].sort((a, b) => a - b),
    polls,
    seconds,
    failures,
  };
}
