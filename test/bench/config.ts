/**
 * Counts, time limits and targets of `npm run bench`, in one place. Every loop the bench runs is
 * bounded by a count here and, where the machine's speed matters, by a time budget too.
 */
import path from 'node:path';
import { repoRoot } from '../../lib/paths';

export const BENCH = {
  /** Bundles go inside the repository (gitignored) so externals like @aws-sdk resolve from node_modules. */
  outDir: path.join(repoRoot, '.bench'),
  reportFile: path.join(repoRoot, 'docs', 'performance.md'),

  web: {
    /** Visits of each page (static home page, portal), alternating. */
    rounds: 15,
  },

  coldImport: {
    /** Discarded imports first, of bundles that between them load every external package: file cache. */
    warmupRounds: 1,
    minRounds: 5,
    maxRounds: 15,
    /** Rounds stop once this much time has gone (never below minRounds). */
    budgetMs: 60_000,
    processTimeoutMs: 30_000,
  },

  latency: {
    concurrency: 20,
    /**
     * `prime`: requests to each side, unmeasured, before the first run (DynamoDB Local's JVM and
     * both servers get past their JIT warm-up); `warmup`: again before every run, on its
     * connections; `requests`: measured per run; `abbaRounds`: how many times the runs go twin,
     * floor, floor, twin; `timeLimitMs`: a run not done by then stops and reports what it has.
     */
    carparks: { prime: 500, warmup: 100, requests: 1_000, abbaRounds: 2, timeLimitMs: 60_000 },
    /** Login hashes with scrypt (tens of ms of CPU each), so far fewer. */
    login: { prime: 20, warmup: 20, requests: 200, abbaRounds: 1, timeLimitMs: 45_000 },
    /** Generous: 20 concurrent logins queue for scrypt on libuv's 4 threads. */
    requestTimeoutMs: 30_000,
  },

  /**
   * POST /tenancies → active on a fresh twin. `count` tenancies, `concurrency` at a time, by
   * `tenants` tenants (a multiple of `concurrency`: each lane has its own tenants, so no tenant
   * has two setups in flight); each tenancy's GET is polled every `pollIntervalMs`; a tenancy not
   * active after `perTenancyTimeoutMs` counts as a failure; no new tenancy starts after `timeLimitMs`.
   */
  tenancies: {
    count: 100,
    concurrency: 5,
    tenants: 20,
    pollIntervalMs: 20,
    perTenancyTimeoutMs: 30_000,
    timeLimitMs: 120_000,
    requestTimeoutMs: 30_000,
    /** Each workflow execution the bench waits for must end within this. */
    workflowTimeoutMs: 30_000,
  },

  /**
   * The console at scale (console-scale.ts): `tenancies` seeded (each with a year of paid
   * invoices), each route primed with `primeRequests` (unmeasured, as the latency runs prime
   * theirs), then `rounds` rounds of `requestsPerRound` requests to each of GET /carparks, the
   * dashboard, a search and a timeline, `concurrency` at a time.
   */
  console: { tenancies: 10_000, primeRequests: 300, requestsPerRound: 300, rounds: 3, concurrency: 10, requestTimeoutMs: 30_000, timeLimitMs: 60_000 },

  /** AWS Step Functions Standard list price, us-east-1, before the free tier (4,000 a month). */
  usdPerThousandTransitions: 0.025,

  workerStartTimeoutMs: 90_000,

  targets: {
    medianBundleKb: 150,
    medianColdImportRatio: 2,
    /** Median API function's cold import ÷ the SDK reference's (the DynamoDB client alone), same run. */
    medianColdImportToSdkRatio: 1.1,
    carparksP50Ratio: 1.5,
    /** Dashboard, search and timeline p50 ÷ GET /carparks p50, same run, 10,000 tenancies. */
    consoleP50Ratio: 1.5,
    readRouteRoundTrips: 1,
    tenancyActiveP95Ms: 2_000,
    /** The portal's first load: JavaScript, gzipped. */
    webFirstLoadKb: 150,
  },
} as const;
