/**
 * The operator console at scale: a twin whose demo operator has 10,000 tenancies across its car
 * parks, each with a year of paid invoices on its timeline (120,000 events), 2,500 tenants and
 * the dashboard's counters rebuilt from a full recount. Then the p50 of a dashboard load, a
 * tenancy search by plate and a timeline page, each against GET /carparks in the same run
 * (interleaved rounds, so a drift in the machine's load weighs on all alike), and the read
 * capacity a dashboard load consumes.
 *
 * The items are written straight to the table (a BatchWriteItem stream), in the shapes the
 * repositories write: the point is reading at scale, not a year of workflows.
 */
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ENTITY, keys, plateIndexKeys, tenancyIndexKeys, userIndexKeys } from '../../functions/adapters/dynamodb/keys';
import { TENANT_NAME_ATTRIBUTE } from '../../functions/adapters/dynamodb/tenant-names';
import { operatorOverallQuery } from '../../functions/adapters/dynamodb/stats-store';
import { foldLookAlikes } from '../../functions/domain/plates';
import { lastMonths } from '../../functions/domain/dashboard';
import { BENCH } from './config';
import { runLoad, type LoadRequest } from './load';
import { percentile } from './stats';
import { startWorker } from './workers/ipc';
import { REGION } from './workers/bench-twin';
import type { TwinServerInput, TwinServerReady } from './workers/twin-server';

export interface ConsoleScaleResult {
  readonly tenancies: number;
  readonly invoiceEvents: number;
  readonly tenants: number;
  readonly carparks: number;
  readonly seedSeconds: number;
  /** `npm run stats -- --rebuild` over the seeded table, then the check: seconds each, and whether they agreed. */
  readonly rebuildSeconds: number;
  readonly checkSeconds: number;
  readonly countersEqualRecount: boolean;
  /** p50 (ms) of each route over every round, and of GET /carparks alongside. */
  readonly p50: { readonly carparks: number; readonly dashboard: number; readonly search: number; readonly timeline: number };
  readonly requestsPerRound: number;
  readonly rounds: number;
  /** Read capacity units of the dashboard's one read (the operator, its car parks, the months and totals). */
  readonly dashboardReadUnits: number;
}

const TENANTS = 2_500;
const MONTHS = 12;

export async function measureConsoleScale(dynamoEndpoint: string, progress: (line: string) => void): Promise<ConsoleScaleResult> {
  const { tenancies: count, primeRequests, requestsPerRound, rounds, concurrency, requestTimeoutMs, timeLimitMs } = BENCH.console;
  const twin = await startWorker<TwinServerReady>(
    'twin server (console)',
    path.join(import.meta.dirname, 'workers', 'twin-server.ts'),
    { dynamoEndpoint } satisfies TwinServerInput,
    BENCH.workerStartTimeoutMs,
  );
  try {
    const operatorLogin = twin.data.logins.find((l) => l.role === 'operator');
    if (!operatorLogin) throw new Error('The demo data has no operator login');
    const login = await fetch(new URL('/auth/login', twin.data.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: operatorLogin.email, password: operatorLogin.password }),
    });
    const { token, user } = (await login.json()) as { token: string; user: { operatorId: string } };
    const operatorId = user.operatorId;
    const headers = { authorization: `Bearer ${token}` };
    const operator = (await (await fetch(new URL(`/operators/${operatorId}`, twin.data.url), { headers })).json()) as { carparks: { carparkId: string }[] };
    const carparkIds = operator.carparks.map((c) => c.carparkId);

    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const table = twin.data.tableName;
    progress(`seeding ${count} tenancies, ${count * MONTHS} invoice events and ${TENANTS} tenants at ${carparkIds.length} car parks…`);
    const seedStarted = performance.now();
    const seeded = await seed(client, table, operatorId, carparkIds, count);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    progress(`seeded ${seeded.items} items in ${seedSeconds.toFixed(1)} s`);

    // The counters of seeded data come from the recount, as for tenancies older than the counters.
    Object.assign(process.env, {
      TABLE_NAME: table,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    });
    const { checkStats, rebuildStats } = await import('../../bin/stats');
    let started = performance.now();
    await rebuildStats();
    const rebuildSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const differences = await checkStats();
    const checkSeconds = (performance.now() - started) / 1000;
    progress(`rebuilt the counters in ${rebuildSeconds.toFixed(1)} s; check ${checkSeconds.toFixed(1)} s: ${differences.size === 0 ? 'equal to a full recount' : `${differences.size} operator(s) differ`}`);

    const routes: Record<keyof ConsoleScaleResult['p50'], Omit<LoadRequest, 'baseUrl'>> = {
      carparks: { method: 'GET', path: '/carparks' },
      dashboard: { method: 'GET', path: `/operators/${operatorId}/dashboard`, headers },
      search: { method: 'GET', path: `/tenancies/search?carparkId=${carparkIds[0]}&q=${seeded.samplePlate}`, headers },
      timeline: { method: 'GET', path: `/tenancies/${seeded.sampleTenancyId}/timeline`, headers },
    };
    const latencies: Record<keyof ConsoleScaleResult['p50'], number[]> = { carparks: [], dashboard: [], search: [], timeline: [] };
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    try {
      // Primed once each (BENCH.console.primeRequests), then interleaved rounds.
      for (const [id, route] of Object.entries(routes)) {
        await runLoad({ baseUrl: twin.data.url, ...route }, { count: primeRequests, concurrency, timeLimitMs, requestTimeoutMs, agent });
        progress(`${id.padEnd(9)} primed`);
      }
      for (let round = 1; round <= rounds; round++) {
        for (const [id, route] of Object.entries(routes) as [keyof typeof routes, Omit<LoadRequest, 'baseUrl'>][]) {
          const run = await runLoad({ baseUrl: twin.data.url, ...route }, { count: requestsPerRound, concurrency, timeLimitMs, requestTimeoutMs, agent });
          latencies[id].push(...run.latenciesMs);
          progress(`round ${round} ${id.padEnd(9)} ${run.latenciesMs.length} requests, p50 ${percentile(run.latenciesMs, 50).toFixed(1)} ms`);
        }
      }
    } finally {
      agent.destroy();
    }

    return {
      tenancies: count,
      invoiceEvents: count * MONTHS,
      tenants: TENANTS,
      carparks: carparkIds.length,
      seedSeconds,
      rebuildSeconds,
      checkSeconds,
      countersEqualRecount: differences.size === 0,
      p50: {
        carparks: percentile(latencies.carparks, 50),
        dashboard: percentile(latencies.dashboard, 50),
        search: percentile(latencies.search, 50),
        timeline: percentile(latencies.timeline, 50),
      },
      requestsPerRound,
      rounds,
      dashboardReadUnits: await dashboardReadUnits(client, table, operatorId),
    };
  } finally {
    await twin.stop();
  }
}

/** The whole operator's dashboard's one read again (its gsi2 partition from its own month a year ago), asking DynamoDB what it consumed. */
async function dashboardReadUnits(client: DynamoDBDocumentClient, table: string, operatorId: string): Promise<number> {
  const from = lastMonths(new Date(), MONTHS)[0]!;
  const read = await client.send(new QueryCommand({ TableName: table, ...operatorOverallQuery(operatorId, from), ReturnConsumedCapacity: 'TOTAL' }));
  if (read.LastEvaluatedKey) throw new Error('The dashboard read of the bench operator took more than one page');
  return read.ConsumedCapacity?.CapacityUnits ?? Number.NaN;
}

/** Ids in the API's shape (`tn_` and 20 hex digits), numbered. */
// A leading `b` marks the bench's ids; zero-padded after it, so no two numbers share one.
const benchId = (prefix: 'usr' | 'tn', n: number) => `${prefix}_b${n.toString(16).padStart(19, '0')}`;

const tenantName = (u: number) => `Bench Tenant ${u}`;

/** Writes the seed; returns how many items, and a tenancy and plate to look up. */
async function seed(client: DynamoDBDocumentClient, table: string, operatorId: string, carparkIds: readonly string[], count: number) {
  const now = new Date();
  const months = lastMonths(now, MONTHS);
  const createdAt = `${months[0]}-02T09:00:00.000Z`;
  const items: Record<string, unknown>[] = [];
  for (let u = 0; u < TENANTS; u++) {
    const userId = benchId('usr', u);
    const user = {
      userId,
      email: `bench-tenant-${u}@example.com`,
      name: tenantName(u),
      role: 'tenant',
      accountType: 'individual',
      passwordHash: 'not-a-hash',
      passwordChangedAt: createdAt,
      createdAt,
      updatedAt: createdAt,
    };
    items.push({ ...keys.user(userId), ...userIndexKeys(user), type: ENTITY.user, ...user });
  }
  let sampleTenancyId = '';
  let samplePlate = '';
  for (let i = 0; i < count; i++) {
    const tenancyId = benchId('tn', i);
    const carparkId = carparkIds[i % carparkIds.length]!;
    const plate = `BN${String(i).padStart(5, '0')}`;
    const tenancy = {
      tenancyId,
      userId: benchId('usr', i % TENANTS),
      carparkId,
      operatorId,
      vehicleType: 'car',
      plate,
      status: 'active',
      startDate: createdAt,
      priceId: 'price_bench',
      monthlyAmount: 10_000,
      currency: 'gbp',
      barrier: { status: 'registered', changedAt: createdAt },
      renewsAt: `${months[MONTHS - 1]}-28T09:00:00.000Z`,
      createdAt,
      updatedAt: createdAt,
    };
    items.push({ ...keys.tenancy(tenancyId), ...tenancyIndexKeys(tenancy), type: ENTITY.tenancy, [TENANT_NAME_ATTRIBUTE]: tenantName(i % TENANTS), ...tenancy });
    const sighting = { folded: foldLookAlikes(plate), plate, tenancyId, operatorId, carparkId, userId: tenancy.userId };
    items.push({ ...keys.plateSighting(sighting.folded, tenancyId), ...plateIndexKeys.sighting(sighting), type: ENTITY.plateSighting, ...sighting });
    const rented = { tenancyId, at: createdAt, kind: 'rented', source: 'tenant', detail: { plate, vehicleType: 'car', monthlyAmount: 10_000, currency: 'gbp' } };
    items.push({ ...keys.tenancyEvent(tenancyId, createdAt, 'rented'), type: ENTITY.tenancyEvent, ...rented });
    for (let m = 0; m < MONTHS; m++) {
      const invoiceId = `in_bench${i}x${m}`;
      const at = `${months[m]}-02T09:00:${String(m).padStart(2, '0')}.000Z`;
      const event = { tenancyId, at, kind: 'invoice_paid', source: 'stripe', detail: { invoiceId, amount: 10_000, currency: 'gbp' } };
      items.push({ ...keys.tenancyEvent(tenancyId, at, 'invoice_paid', invoiceId), type: ENTITY.tenancyEvent, ...event });
    }
    if (i === Math.floor(count / 2) - (Math.floor(count / 2) % carparkIds.length)) {
      sampleTenancyId = tenancyId;
      samplePlate = plate;
    }
  }
  // 16 batches in flight at a time.
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; attempt < 10 && pending.length > 0; attempt++) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
      if (pending.length > 0) throw new Error(`seed: ${pending.length} items unprocessed`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  return { items: items.length, sampleTenancyId, samplePlate };
}
