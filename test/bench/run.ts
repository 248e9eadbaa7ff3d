/**
 * `npm run bench`: bundle size and cold import time per function, local API latency against a
 * bare floor, DynamoDB calls per request, and the tenancy workflows (time to active, state
 * transitions per lifecycle). Prints progress and a summary, and writes docs/performance.md with
 * the figures of this run.
 */
import { writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { repoRoot } from '../../lib/paths';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JavaNotFoundError, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb';
import { bundleAll, HELLO_WORLD_ID, mirrorDrift, SDK_REFERENCE_ID } from './bundles';
import { measureColdImports } from './cold-import';
import { BENCH } from './config';
import { renderCost } from './cost';
import { measureLatency } from './latency';
import { measureConsoleScale } from './console-scale';
import { evaluateTargets, happyLifecycleTransitions, renderMarkdown, transitionCost, type BenchResults, type TargetVerdict } from './report';
import { kb, median } from './stats';
import { measureTenancyFlows } from './tenancies';
import { measureListRender, measureWebChunks, siteWithStaticHome, type WebResult } from './web';
import { killAllWorkers, startWorker } from './workers/ipc';
import type { TwinServerInput, TwinServerReady } from './workers/twin-server';
import type { RouteCallsInput, RouteCallsReady } from './workers/route-calls';

const startedAt = performance.now();
const seconds = () => (performance.now() - startedAt) / 1000;
const log = (line: string) => console.log(`[${seconds().toFixed(0).padStart(3)} s] ${line}`);
const indented = (line: string) => log(`    ${line}`);

let dynamo: DynamoDbLocal | undefined;

/** Stops whatever is still running; safe to call twice. */
async function stopEverything(): Promise<void> {
  killAllWorkers();
  const running = dynamo;
  dynamo = undefined;
  await running?.stop().catch((error: unknown) => console.error('Could not stop DynamoDB Local:', error));
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = {
    date: new Date(),
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    loadAverage: os.loadavg(),
  };
  console.log(
    `Carpark Tenancy bench — Node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}\n`,
  );

  log('1/7 Bundle size: every function (API, workflow tasks, scheduled jobs), bundled as the CDK construct does');
  const drift = await mirrorDrift();
  if (drift.length > 0) log(`    WARNING: bundling settings differ from lib/constructs/app-function.ts: ${drift.join(', ')}`);
  const bundles = await bundleAll(indented);

  // The API functions (the target's) and the references; task and job bundles are sized only, to keep the run short.
  const coldImported = bundles.filter((b) => b.kind !== 'task' && b.kind !== 'job');
  log(`2/6 Cold import: a fresh node process per import, ${coldImported.length} bundles round-robin`);
  const coldImport = measureColdImports(coldImported, indented);

  log('3/7 Local API latency: starting DynamoDB Local (in memory)');
  dynamo = await startDynamoDbLocal();
  indented(`DynamoDB Local on ${dynamo.endpoint}`);
  const latency = await measureLatency(dynamo.endpoint, indented);

  log('4/7 DynamoDB calls per request: a fresh twin behind a counting proxy');
  const calls = await startWorker<RouteCallsReady>(
    'route calls',
    path.join(import.meta.dirname, 'workers', 'route-calls.ts'),
    { dynamoEndpoint: dynamo.endpoint } satisfies RouteCallsInput,
    BENCH.workerStartTimeoutMs,
  );
  await calls.stop();
  const routeCalls = calls.data;
  indented(`${routeCalls.measured.length} of ${routeCalls.measured.length + routeCalls.unmeasured.length} routes measured`);

  log('5/7 Tenancy workflows: state transitions per lifecycle, then POST /tenancies → active');
  const tenancies = await measureTenancyFlows(dynamo.endpoint, indented);

  log('6/7 Tenant portal: JavaScript per route chunk, then time to the car park list against the static page');
  const web = await measureWeb(dynamo.endpoint);

  log('7/7 The operator console at scale: 10,000 tenancies, then the dashboard, a search and a timeline against GET /carparks');
  const consoleScale = await measureConsoleScale(dynamo.endpoint, indented);
  await stopEverything();

  const results: BenchResults = { machine, seconds: seconds(), mirrorDrift: drift, bundles, coldImport, latency, routeCalls, tenancies, web, console: consoleScale };
  const verdicts = evaluateTargets(results);
  await writeFile(BENCH.reportFile, renderMarkdown(results, verdicts));
  await writeFile(path.join(path.dirname(BENCH.reportFile), 'cost.md'), renderCost(results));
  printSummary(results, verdicts);
}

async function measureWeb(dynamoEndpoint: string): Promise<WebResult> {
  await promisify(execFile)('npm', ['run', 'build:web', '--silent'], { cwd: repoRoot });
  const chunks = await measureWebChunks();
  indented(`first load ${kb(chunks.firstLoadGzipBytes).toFixed(1)} KB gzipped; ${chunks.routes.length - 1} route chunks`);
  const site = await siteWithStaticHome();
  try {
    const twin = await startWorker<TwinServerReady>(
      'twin server (portal)',
      path.join(import.meta.dirname, 'workers', 'twin-server.ts'),
      { dynamoEndpoint, staticDir: site.dir } satisfies TwinServerInput,
      BENCH.workerStartTimeoutMs,
    );
    try {
      return { ...chunks, ...(await measureListRender(twin.data.url, BENCH.web.rounds, indented)) };
    } finally {
      await twin.stop();
    }
  } finally {
    await site.remove();
  }
}

function printSummary(results: BenchResults, verdicts: readonly TargetVerdict[]): void {
  const functions = results.bundles.filter((b) => b.kind === 'function');
  const wall = (id: string) => median(results.coldImport.samples.get(id)?.wallMs ?? []);
  const hello = wall(HELLO_WORLD_ID);
  const others = results.bundles.filter((b) => b.kind === 'task' || b.kind === 'job');
  const { setup, lifecycle } = results.tenancies;
  const happy = happyLifecycleTransitions(results);
  const lines = [
    '',
    'Summary',
    `  Bundles       median ${kb(median(functions.map((b) => b.bytes))).toFixed(1)} KB, max ${kb(Math.max(...functions.map((b) => b.bytes))).toFixed(1)} KB`,
    `  Tasks & jobs  median ${kb(median(others.map((b) => b.bytes))).toFixed(1)} KB over ${others.length}, max ${kb(Math.max(...others.map((b) => b.bytes))).toFixed(1)} KB`,
    `  Cold import   median function ${(median(functions.map((b) => wall(b.id))) / hello).toFixed(2)}× hello world (${hello.toFixed(0)} ms); ` +
      `SDK reference ${(wall(SDK_REFERENCE_ID) / hello).toFixed(2)}× (${results.coldImport.rounds} rounds)`,
    ...results.latency.map(
      (s) =>
        `  ${s.label.padEnd(16)} p50 ${s.twin.p50.toFixed(1)} ms (floor ${s.floor.p50.toFixed(1)}, ${(s.twin.p50 / s.floor.p50).toFixed(2)}×), ` +
        `p99 ${s.twin.p99.toFixed(1)} ms (floor ${s.floor.p99.toFixed(1)}, ${(s.twin.p99 / s.floor.p99).toFixed(2)}×)`,
    ),
    '  DynamoDB calls per request (calls / round trips):',
    ...results.routeCalls.measured.map(
      (r) =>
        `    ${`${r.method} ${r.path}`.padEnd(30)} ${r.counts.total} / ${r.counts.roundTrips}  ` +
        Object.entries(r.counts.byOperation)
          .map(([op, n]) => `${op}×${n}`)
          .join(' ') +
        (r.background.total > 0 ? `  (+${r.background.total} by the workflows and consumers it set off)` : ''),
    ),
    ...(results.routeCalls.unmeasured.length > 0 ? [`    not measured: ${results.routeCalls.unmeasured.join(', ')}`] : []),
    ...results.routeCalls.problems.map((problem) => `    ! ${problem}`),
    `  Tenancy setup POST → active p50 ${setup.active.p50.toFixed(0)} ms, p95 ${setup.active.p95.toFixed(0)} ms (n ${setup.active.n}, ${setup.concurrency} at a time); ` +
      `engine start → stop p50 ${setup.execution.p50.toFixed(0)} ms, p95 ${setup.execution.p95.toFixed(0)} ms` +
      (setup.failures.length > 0 ? `; ${setup.failures.length} FAILED` : ''),
    '  State transitions per execution:',
    ...lifecycle.steps.map((step) => `    ${step.label.padEnd(24)} ${String(step.execution.stateTransitions).padStart(3)}  (${step.execution.status}, tenancy ${step.tenancyStatus})`),
    ...(happy !== undefined
      ? [`    ${'lifecycle (setup+cancel)'.padEnd(24)} ${String(happy).padStart(3)}  = $${transitionCost(happy).perThousand.toFixed(3)} per 1,000 tenancies at list price`]
      : []),
    ...lifecycle.problems.map((problem) => `    ! ${problem}`),
    `  Portal        first load ${kb(results.web.firstLoadGzipBytes).toFixed(1)} KB gzipped; car park list ` +
      `${median(results.web.portalMs).toFixed(0)} ms vs static page ${median(results.web.staticMs).toFixed(0)} ms ` +
      `(${(median(results.web.portalMs) / median(results.web.staticMs)).toFixed(2)}×)`,
    `  Console       ${results.console.tenancies} tenancies: dashboard ${(results.console.p50.dashboard / results.console.p50.carparks).toFixed(2)}×, ` +
      `search ${(results.console.p50.search / results.console.p50.carparks).toFixed(2)}×, timeline ${(results.console.p50.timeline / results.console.p50.carparks).toFixed(2)}× GET /carparks p50; ` +
      `${results.console.dashboardReadUnits} read units per dashboard`,
    '',
    'Targets',
    ...verdicts.map((v) => `  ${v.pass ? 'pass' : 'FAIL'}  ${v.name}: ${v.measured} (target ${v.target})`),
    '',
    `Wrote ${path.relative(process.cwd(), BENCH.reportFile)} in ${seconds().toFixed(0)} s.`,
  ];
  console.log(lines.join('\n'));
}

// Ctrl-C can arrive twice (from the terminal and relayed by tsx): act on the first.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log('\nInterrupted; stopping…');
    setTimeout(() => process.exit(130), 10_000).unref();
    void stopEverything().finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    // An interrupted run fails in all sorts of ways on its way down; the signal handler reports it.
    if (interrupted) return;
    console.error(
      `\nThe bench failed: ${error instanceof JavaNotFoundError ? error.message : ''}`,
      error instanceof JavaNotFoundError ? '' : error,
    );
    await stopEverything();
    process.exit(1);
  },
);
