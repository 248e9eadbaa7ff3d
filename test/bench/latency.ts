/**
 * Local API latency: the twin (serveGateway on a real port) against a bare floor (one raw
 * node:http server making the same DynamoDB call), both on the bench's DynamoDB Local and the
 * same seeded table. Each server runs in its own process; the load comes from this one.
 *
 * Runs go twin, floor, floor, twin (ABBA, repeated) for each route, so a steady drift in the
 * machine's load weighs on both sides equally. Both sides are primed before the first run, and
 * each run warms up on its own connections first.
 */
import http from 'node:http';
import path from 'node:path';
import { BENCH } from './config';
import { runLoad, type LoadRequest } from './load';
import { mean, percentile } from './stats';
import { startWorker, type Worker } from './workers/ipc';
import type { FloorServerInput, FloorServerReady } from './workers/floor-server';
import { REGION } from './workers/bench-twin';
import type { TwinServerInput, TwinServerReady } from './workers/twin-server';

export type Side = 'twin' | 'floor';

export interface SideSummary {
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly requestsPerSecond: number;
  /** p50 of each run, in the order run. */
  readonly runP50s: number[];
  /** False when a run hit its time limit before its request count. */
  readonly complete: boolean;
}

export interface ScenarioResult {
  readonly id: 'carparks' | 'login';
  readonly label: string;
  readonly prime: number;
  readonly warmup: number;
  readonly requestsPerRun: number;
  readonly abbaRounds: number;
  readonly twin: SideSummary;
  readonly floor: SideSummary;
  readonly floorDoes: string;
}

const ABBA: readonly Side[] = ['twin', 'floor', 'floor', 'twin'];
const WORKERS = path.join(import.meta.dirname, 'workers');

export async function measureLatency(dynamoEndpoint: string, progress: (line: string) => void): Promise<ScenarioResult[]> {
  const workers: Worker<unknown>[] = [];
  try {
    progress('starting the twin (stand-ins, fresh table, demo data, gateway)…');
    const twin = await startWorker<TwinServerReady>(
      'twin server',
      path.join(WORKERS, 'twin-server.ts'),
      { dynamoEndpoint } satisfies TwinServerInput,
      BENCH.workerStartTimeoutMs,
    );
    workers.push(twin);
    progress(`twin on ${twin.data.url}; starting the floor…`);
    const floor = await startWorker<FloorServerReady>(
      'floor server',
      path.join(WORKERS, 'floor-server.ts'),
      { dynamoEndpoint, tableName: twin.data.tableName, region: REGION } satisfies FloorServerInput,
      BENCH.workerStartTimeoutMs,
    );
    workers.push(floor);
    progress(`floor on ${floor.data.url}`);

    // Logins run `concurrency` at a time: one account per client, as many people signing in at
    // once, since the login limits (rightly) refuse a burst of attempts on a single account.
    const { password } = twin.data.tenant;
    const loginBodies: string[] = [];
    for (let i = 0; i < BENCH.latency.concurrency; i += 1) {
      const email = `bench-login-${i}@example.com`;
      const signUp = await fetch(new URL('/users', twin.data.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, name: `Bench login ${i}`, accountType: 'individual' }),
      });
      if (signUp.status !== 201) throw new Error(`Signing up ${email} answered ${signUp.status}: ${await signUp.text()}`);
      loginBodies.push(JSON.stringify({ email, password }));
    }
    const scenarios = [
      {
        id: 'carparks' as const,
        label: 'GET /carparks',
        request: { method: 'GET' as const, path: '/carparks' },
        counts: BENCH.latency.carparks,
        floorDoes: 'the same gsi1 Query as carparkRepository.list (same page size)',
        check: (_side: Side, body: unknown) => {
          const items = (body as { items?: unknown }).items;
          return Array.isArray(items) && items.length > 0;
        },
      },
      {
        id: 'login' as const,
        label: 'POST /auth/login',
        request: { method: 'POST' as const, path: '/auth/login', body: loginBodies[0], bodies: loginBodies },
        counts: BENCH.latency.login,
        floorDoes: 'one GetItem (the email claim), no password hashing',
        check: (side: Side, body: unknown) =>
          side === 'floor' ? typeof (body as { userId?: unknown }).userId === 'string' : typeof (body as { token?: unknown }).token === 'string',
      },
    ];
    const baseUrl: Record<Side, string> = { twin: twin.data.url, floor: floor.data.url };

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      // One request each first: both sides must answer what this scenario expects.
      for (const side of ['twin', 'floor'] as const) await probe(side, baseUrl[side], scenario.request, scenario.check);

      for (const side of ['twin', 'floor'] as const) {
        const { latenciesMs, seconds } = await timedRun(
          { baseUrl: baseUrl[side], ...scenario.request },
          { warmup: 0, requests: scenario.counts.prime, timeLimitMs: scenario.counts.timeLimitMs },
        );
        progress(`${scenario.label.padEnd(17)} ${side.padEnd(5)} primed with ${latenciesMs.length} requests in ${seconds.toFixed(1)} s`);
      }

      const runs: Record<Side, { latenciesMs: number[]; seconds: number; complete: boolean }[]> = { twin: [], floor: [] };
      const order = Array.from({ length: scenario.counts.abbaRounds }, () => ABBA).flat();
      for (const side of order) {
        const request: LoadRequest = { baseUrl: baseUrl[side], ...scenario.request };
        const run = await timedRun(request, scenario.counts);
        runs[side].push(run);
        progress(
          `${scenario.label.padEnd(17)} ${side.padEnd(5)} ${run.latenciesMs.length} requests in ${run.seconds.toFixed(1)} s, ` +
            `p50 ${percentile(run.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms` +
            (run.complete ? '' : ' (time limit reached)'),
        );
      }
      results.push({
        id: scenario.id,
        label: scenario.label,
        prime: scenario.counts.prime,
        warmup: scenario.counts.warmup,
        requestsPerRun: scenario.counts.requests,
        abbaRounds: scenario.counts.abbaRounds,
        twin: summarise(runs.twin),
        floor: summarise(runs.floor),
        floorDoes: scenario.floorDoes,
      });
    }
    return results;
  } finally {
    for (const worker of workers.reverse()) await worker.stop();
  }
}

async function timedRun(request: LoadRequest, counts: { warmup: number; requests: number; timeLimitMs: number }) {
  const { concurrency, requestTimeoutMs } = BENCH.latency;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const limits = { concurrency, timeLimitMs: counts.timeLimitMs, requestTimeoutMs, agent };
  try {
    if (counts.warmup > 0) await runLoad(request, { count: counts.warmup, ...limits });
    return await runLoad(request, { count: counts.requests, ...limits });
  } finally {
    agent.destroy();
  }
}

async function probe(side: Side, baseUrl: string, request: Omit<LoadRequest, 'baseUrl'>, check: (side: Side, body: unknown) => boolean) {
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    ...(request.body !== undefined && { body: request.body, headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(BENCH.latency.requestTimeoutMs),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !check(side, body)) {
    throw new Error(`The ${side} answered ${request.method} ${request.path} with ${response.status}: ${text.slice(0, 300)}`);
  }
}

function summarise(runs: readonly { latenciesMs: number[]; seconds: number; complete: boolean }[]): SideSummary {
  const all = runs.flatMap((run) => run.latenciesMs);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requests: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    mean: mean(all),
    requestsPerSecond: all.length / seconds,
    runP50s: runs.map((run) => percentile(run.latenciesMs, 50)),
    complete: runs.every((run) => run.complete),
  };
}
