/** Turns one bench run's measurements into the targets verdict and docs/performance.md. */
import { HELLO_WORLD_ID, SDK_REFERENCE_ID, type BundleResult } from './bundles';
import type { ColdImportResult } from './cold-import';
import { taskFunctions } from '../../functions/workflows';
import { BENCH } from './config';
import type { ConsoleScaleResult } from './console-scale';
import type { ScenarioResult } from './latency';
import { kb, median } from './stats';
import type { LifecycleStep, TenancyFlowsResult } from './tenancies';
import { HOLD_MS } from './workers/counting-proxy';
import type { RouteCallsReady } from './workers/route-calls';
import type { WebResult } from './web';

export interface Machine {
  readonly date: Date;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAverage: readonly number[];
}

export interface BenchResults {
  readonly machine: Machine;
  readonly seconds: number;
  readonly mirrorDrift: readonly string[];
  readonly bundles: readonly BundleResult[];
  readonly coldImport: ColdImportResult;
  readonly latency: readonly ScenarioResult[];
  readonly routeCalls: RouteCallsReady;
  readonly tenancies: TenancyFlowsResult;
  readonly web: WebResult;
  readonly console: ConsoleScaleResult;
}

export interface TargetVerdict {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (value: number) => `${value.toFixed(2)}×`;
const kbText = (bytes: number) => `${kb(bytes).toFixed(1)} KB`;

// --- derived figures -------------------------------------------------------------------------

const functionBundles = (results: BenchResults) => results.bundles.filter((b) => b.kind === 'function');
const otherFunctionBundles = (results: BenchResults) => results.bundles.filter((b) => b.kind === 'task' || b.kind === 'job');
/** The DynamoDB client packages every function that touches the table creates at import. */
const DYNAMODB_CLIENTS = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
export const loadsDynamoDbAtStart = (bundle: BundleResult) => bundle.eagerExternals.some((e) => DYNAMODB_CLIENTS.includes(e));

function bundleFigures(results: BenchResults) {
  const sizes = functionBundles(results).map((b) => b.bytes);
  const largest = functionBundles(results).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return { medianBytes: median(sizes), largest };
}

function coldImportFigures(results: BenchResults) {
  const { samples } = results.coldImport;
  const wall = (id: string) => median(samples.get(id)?.wallMs ?? []);
  const importOnly = (id: string) => median(samples.get(id)?.importMs ?? []);
  const hello = wall(HELLO_WORLD_ID);
  const sdk = wall(SDK_REFERENCE_ID);
  const rows = results.bundles
    .filter((b) => samples.has(b.id))
    .map((b) => ({
    bundle: b,
    wallMs: wall(b.id),
    importMs: importOnly(b.id),
    ratio: wall(b.id) / hello,
  }));
  const functionRows = rows.filter((r) => r.bundle.kind === 'function');
  const target = BENCH.targets.medianColdImportRatio;
  const withDynamo = functionRows.filter((r) => loadsDynamoDbAtStart(r.bundle));
  const withoutDynamo = functionRows.filter((r) => !loadsDynamoDbAtStart(r.bundle));
  return {
    rows,
    helloMs: hello,
    sdkMs: sdk,
    medianRatio: median(functionRows.map((r) => r.ratio)),
    medianToSdkRatio: median(functionRows.map((r) => r.wallMs)) / sdk,
    medianFunctionMs: median(functionRows.map((r) => r.wallMs)),
    /** API functions that load the DynamoDB client at import, and how many of them are within the target. */
    withDynamo: { count: withDynamo.length, within: withDynamo.filter((r) => r.ratio <= target).length, median: median(withDynamo.map((r) => r.ratio)) },
    withoutDynamo: { ids: withoutDynamo.map((r) => r.bundle.id), within: withoutDynamo.filter((r) => r.ratio <= target).length },
  };
}

/** Task bundles that carry the Stripe SDK without calling Stripe, or call it without carrying it. */
export function taskVendorProblems(results: BenchResults): string[] {
  const problems: string[] = [];
  for (const bundle of results.bundles.filter((b) => b.kind === 'task')) {
    const task = Object.values(taskFunctions).find((t) => t.handler === bundle.handler);
    const callsStripe = (task?.access as { stripe?: boolean } | undefined)?.stripe === true;
    const carriesStripe = bundle.largest.some((entry) => entry.name === 'stripe');
    if (carriesStripe && !callsStripe) problems.push(`${bundle.id} carries Stripe`);
  }
  return problems;
}

const usd = (value: number, digits: number) => `$${value.toFixed(digits)}`;
/** List price of `transitions` state transitions, once and per 1,000 (tenancies or executions). */
export function transitionCost(transitions: number): { once: number; perThousand: number } {
  const once = (transitions * BENCH.usdPerThousandTransitions) / 1000;
  return { once, perThousand: once * 1000 };
}

const stepOf = (results: BenchResults, id: LifecycleStep['id']) => results.tenancies.lifecycle.steps.find((s) => s.id === id);
/** Setup + cancellation of one tenancy, on the happy path; undefined if either was not measured. */
export function happyLifecycleTransitions(results: BenchResults): number | undefined {
  const setup = stepOf(results, 'setup');
  const cancel = stepOf(results, 'cancel');
  return setup && cancel ? setup.execution.stateTransitions + cancel.execution.stateTransitions : undefined;
}

const READ_EXEMPT = new Set(['OpenApi']);
const readRoutes = (results: BenchResults) =>
  results.routeCalls.measured.filter((r) => r.method === 'GET' && !READ_EXEMPT.has(r.id));

export function evaluateTargets(results: BenchResults): TargetVerdict[] {
  const { targets } = BENCH;
  const bundles = bundleFigures(results);
  const cold = coldImportFigures(results);
  const carparks = results.latency.find((s) => s.id === 'carparks');
  const reads = readRoutes(results);
  const overBudget = reads.filter((r) => r.counts.roundTrips > targets.readRouteRoundTrips);
  const openApi = results.routeCalls.measured.find((r) => r.id === 'OpenApi');
  const p50Ratio = carparks ? carparks.twin.p50 / carparks.floor.p50 : Number.NaN;
  const setup = results.tenancies.setup;
  return [
    {
      name: 'Portal first load (JavaScript, gzipped)',
      target: `≤ ${targets.webFirstLoadKb} KB`,
      measured: kbText(results.web.firstLoadGzipBytes),
      pass: kb(results.web.firstLoadGzipBytes) <= targets.webFirstLoadKb,
    },
    {
      name: 'Bundle size (median of the API functions)',
      target: `≤ ${targets.medianBundleKb} KB`,
      measured: kbText(bundles.medianBytes),
      pass: kb(bundles.medianBytes) <= targets.medianBundleKb,
    },
    {
      name: 'Cold import (median function ÷ hello world)',
      target: `≤ ${targets.medianColdImportRatio}×`,
      measured: `${times(cold.medianRatio)} (the DynamoDB client alone: ${times(cold.sdkMs / cold.helloMs)})`,
      pass: cold.medianRatio <= targets.medianColdImportRatio,
    },
    {
      name: 'Cold import (median function ÷ the SDK reference, same run)',
      target: `≤ ${targets.medianColdImportToSdkRatio}×`,
      measured: times(cold.medianToSdkRatio),
      pass: cold.medianToSdkRatio <= targets.medianColdImportToSdkRatio,
    },
    {
      name: 'Task bundles carry only the vendor SDKs their step calls',
      target: 'Stripe only where the manifest grants `stripe`',
      measured: taskVendorProblems(results).length === 0 ? 'every task' : taskVendorProblems(results).join('; '),
      pass: taskVendorProblems(results).length === 0,
    },
    {
      name: 'GET /carparks p50 ÷ bare floor p50',
      target: `≤ ${targets.carparksP50Ratio}×`,
      measured: times(p50Ratio),
      pass: p50Ratio <= targets.carparksP50Ratio,
    },
    {
      name: 'DynamoDB round trips per read route (GET, not /openapi.json)',
      target: `${targets.readRouteRoundTrips} each; /openapi.json none`,
      measured:
        overBudget.length === 0 && (openApi?.counts.total ?? 0) === 0
          ? `${reads.length} of ${reads.length} routes at ${targets.readRouteRoundTrips}`
          : [
              ...overBudget.map((r) => `${r.method} ${r.path}: ${r.counts.roundTrips}`),
              ...(openApi && openApi.counts.total > 0 ? [`GET /openapi.json: ${openApi.counts.total}`] : []),
            ].join('; '),
      pass:
        reads.length > 0 &&
        reads.every((r) => r.counts.roundTrips === targets.readRouteRoundTrips) &&
        (openApi?.counts.total ?? 0) === 0,
    },
    ...consoleVerdicts(results),
    {
      name: `POST /tenancies → active, p95 (twin, simulators at zero latency; ${setup.count} tenancies, ${setup.concurrency} at a time)`,
      target: `≤ ${(targets.tenancyActiveP95Ms / 1000).toFixed(0)} s`,
      measured:
        `${ms(setup.active.p95)} (p50 ${ms(setup.active.p50)}, n = ${setup.active.n})` +
        (setup.failures.length > 0 ? `; ${setup.failures.length} failed` : ''),
      pass: setup.active.n === setup.count && setup.failures.length === 0 && setup.active.p95 <= targets.tenancyActiveP95Ms,
    },
  ];
}

// --- the document ----------------------------------------------------------------------------

/** A row of the Targets table. */
export const verdictRow = (v: TargetVerdict) => `| ${[v.name, v.target, v.measured, v.pass ? 'pass' : '**FAIL**'].join(' | ')} |`;

const table = (header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export function renderMarkdown(results: BenchResults, verdicts: readonly TargetVerdict[]): string {
  const { machine } = results;
  const bundles = bundleFigures(results);
  const cold = coldImportFigures(results);
  const helloBundle = results.bundles.find((b) => b.id === HELLO_WORLD_ID);
  const sdkBundle = results.bundles.find((b) => b.id === SDK_REFERENCE_ID);
  const { concurrency } = BENCH.latency;
  const carparks = results.latency.find((s) => s.id === 'carparks');
  const login = results.latency.find((s) => s.id === 'login');
  const excess = cold.medianFunctionMs - cold.helloMs;
  const referenceExternals = new Set(sdkBundle?.externals ?? []);
  const otherExternals = [...new Set(functionBundles(results).flatMap((b) => b.externals))].filter((e) => !referenceExternals.has(e)).sort();
  const sdkExcess = cold.sdkMs - cold.helloMs;
  const { warmedWith } = results.coldImport;
  const warmUp =
    warmedWith.length === 0
      ? ''
      : `, after a discarded import of ${warmedWith.join(' and ')}, which ${warmedWith.length === 1 ? 'loads' : 'between them load'} every external package the bundles use (so the file cache is warm for all)`;

  const lines: string[] = [
    '# Performance',
    '',
    '_Written by `npm run bench`; every figure below comes from the run described here. Re-run it rather than edit this file._',
    '',
    `- **Run:** ${machine.date.toISOString().replace('T', ' ').slice(0, 16)} UTC, ${Math.round(results.seconds)} s`,
    `- **Node.js:** ${machine.node}`,
    `- **CPUs:** ${machine.cpus} × ${machine.cpuModel}`,
    `- **Load average at start** (1, 5, 15 min): ${machine.loadAverage.map((l) => l.toFixed(2)).join(', ')}`,
    '',
    'Timings on a shared machine are noisy, so every comparison below is a ratio between things measured in the same run, interleaved, using medians or percentiles of many samples.',
    '',
    '## Targets',
    '',
    table(
      ['what', 'target', 'measured', 'result'],
      verdicts.map((v) => [v.name, v.target, v.measured, v.pass ? 'pass' : '**FAIL**']),
    ),
    '',
    '## 1. Bundle size',
    '',
    'Every function of the API (`apiFunctions` in `functions/routes.ts`: the routes and the authorizer), bundled by esbuild with the settings of `lib/constructs/app-function.ts` — ESM, minified, `@aws-sdk/*` external (the Lambda runtime provides it), source map beside the bundle. Size is the `index.mjs` Lambda loads; the source map is shipped too but not loaded unless an error is mapped.',
    '',
  ];
  if (results.mirrorDrift.length > 0) {
    lines.push(
      `> **Warning:** the bench's copy of the bundling settings no longer matches \`lib/constructs/app-function.ts\` (not found there: ${results.mirrorDrift.map((s) => `\`${s}\``).join(', ')}). These sizes may not be what deploys.`,
      '',
    );
  }
  lines.push(
    table(
      ['function', 'route', 'bundle', 'source map', 'largest parts'],
      functionBundles(results).map((b) => [
        b.id,
        b.label,
        kbText(b.bytes),
        kbText(b.mapBytes),
        b.largest.map((p) => `${p.name} ${kb(p.bytes).toFixed(0)} KB`).join(', '),
      ]),
      ['l', 'l', 'r', 'r', 'l'],
    ),
    '',
    `Median **${kbText(bundles.medianBytes)}**, largest ${kbText(bundles.largest.bytes)} (${bundles.largest.id}). ` +
      `For scale: the hello-world handler bundles to ${helloBundle ? kbText(helloBundle.bytes) : 'n/a'}, ` +
      `the SDK reference to ${sdkBundle ? kbText(sdkBundle.bytes) : 'n/a'} (the SDK itself stays external).`,
    '',
    '### Workflow task functions and scheduled jobs',
    '',
    "The workflows' task functions (`taskFunctions` in `functions/workflows.ts`, one Lambda per handler module as the CDK creates them; named after their `${…FunctionArn}` substitution key) and the scheduled jobs (`scheduledJobs` in `functions/schedules.ts`), bundled the same way. They are not part of the bundle-size target, which is the median of the API functions above; nor of the cold-import runs in part 2, to keep the bench short.",
    '',
    table(
      ['function', 'kind', 'used by / schedule', 'bundle', 'source map', 'largest parts'],
      otherFunctionBundles(results).map((b) => [
        b.id,
        b.kind === 'task' ? 'workflow task' : 'scheduled job',
        b.label,
        kbText(b.bytes),
        kbText(b.mapBytes),
        b.largest.map((p) => `${p.name} ${kb(p.bytes).toFixed(0)} KB`).join(', '),
      ]),
      ['l', 'l', 'l', 'r', 'r', 'l'],
    ),
    '',
    ...(otherFunctionBundles(results).length > 0
      ? [
          `Median of these ${otherFunctionBundles(results).length}: ${kbText(median(otherFunctionBundles(results).map((b) => b.bytes)))}, ` +
            `largest ${kbText(Math.max(...otherFunctionBundles(results).map((b) => b.bytes)))} (for information; no target).` +
            sharedTaskPackages(results),
          '',
        ]
      : []),
    '## 2. Cold import',
    '',
    `Each bundle imported by a fresh \`node\` process; the time is the whole process, spawn to exit. ${results.coldImport.rounds} rounds${warmUp}; every round runs each bundle once, round-robin, in an order rotated each round, so drift hits all bundles alike. The ratio is to the hello-world bundle's median in the same run, which is mostly Node's own start-up.`,
    '',
    table(
      ['bundle', 'what', 'median (process)', '× hello world', 'median `import()` alone'],
      cold.rows.map((r) => [r.bundle.id, r.bundle.label, ms(r.wallMs), times(r.ratio), ms(r.importMs)]),
      ['l', 'l', 'r', 'r', 'r'],
    ),
    '',
    `Median function: **${ms(cold.medianFunctionMs)}, ${times(cold.medianRatio)} hello world** (${ms(cold.helloMs)}). ` +
      `The SDK reference alone takes ${ms(cold.sdkMs)} (${times(cold.sdkMs / cold.helloMs)}): of the median function's ` +
      `${ms(excess)} above hello world, ${ms(sdkExcess)} (${((sdkExcess / excess) * 100).toFixed(0)}%) is loading the AWS SDK's DynamoDB clients, which every function needs and the Lambda runtime provides.` +
      (otherExternals.length > 0
        ? ` Functions also load ${otherExternals.map((e) => `\`${e}\``).join(', ')} at import (external too, provided by the runtime; in the functions' figures, not in the reference's).`
        : ''),
    '',
    `**About the target.** The ≤ ${BENCH.targets.medianColdImportRatio}× target compares to a hello-world handler, but the AWS SDK's DynamoDB client alone (the \`sdk-reference\` row: \`@aws-sdk/client-dynamodb\` and \`lib-dynamodb\` with one DocumentClient, nothing else) costs ${times(cold.sdkMs / cold.helloMs)} here` +
      (cold.sdkMs / cold.helloMs > BENCH.targets.medianColdImportRatio ? ', more than the target on its own' : '') +
      `. A function that loads that client at start cannot meet the target whatever its own code does, so the result is reported as it is, not met, rather than the target moved: ` +
      `${cold.withDynamo.count} of ${cold.withDynamo.count + cold.withoutDynamo.ids.length} API functions load the DynamoDB client at import (median ${times(cold.withDynamo.median)}; ${cold.withDynamo.within} of them within ${BENCH.targets.medianColdImportRatio}×)` +
      (cold.withoutDynamo.ids.length > 0
        ? `; of the ${cold.withoutDynamo.ids.length} that do not (${cold.withoutDynamo.ids.join(', ')}), ${cold.withoutDynamo.within} ${cold.withoutDynamo.within === 1 ? 'is' : 'are'} within it.`
        : '.') +
      ' On Lambda the SDK comes from the runtime (not from `node_modules`, as here), so the absolute figures differ; the ratio to the SDK reference is the part a function controls.',
    '',
    "**What keeps functions near the SDK.** Functions validate with `zod/mini` (functions rather than methods, so a bundle carries only the checks it uses; classic zod took about 20 ms to load on this machine before any schema was built), with English messages set once (`functions/zod-messages.ts`). They load only the request side of the API contracts (`functions/api/request-contracts.ts`): the response schemas, which only the OpenAPI document needs, stay out of their bundles. Schemas are built when first read, not when their module loads: a function builds its own route's request contract as it loads (`builtOnFirstUse` in `functions/api/built-on-first-use.ts`) and an entity's schema the first time it parses that entity (`defineEntity`); building every route's and every entity's at load cost about 12 ms and 15 ms of each cold start here. Classic zod remains where nothing is on a request path: the response schemas and the OpenAPI document (the OpenApi function).",
    '',
    '## 3. Local API latency',
    '',
    `The offline twin as \`npm start\` runs it (DynamoDB Local in memory, the AWS stand-ins, a fresh table with the demo data, the gateway on a real port through \`serveGateway\`), against a bare floor: a raw \`node:http\` server making the same single DynamoDB call on the same table with the same SDK client, answering JSON. ${concurrency} concurrent clients on keep-alive connections, each sending its next request when the last is answered. Per route, both sides are first primed (unmeasured: DynamoDB Local's JVM and both servers get past JIT warm-up), then runs go twin, floor, floor, twin (repeated for GET /carparks), so a steady drift in the machine's load weighs on both sides alike; each run warms up its own connections first, and percentiles pool all runs of a side. Servers and the load generator are separate processes sharing ${machine.cpus} CPUs with DynamoDB Local.`,
    '',
  );
  for (const scenario of results.latency) {
    lines.push(
      `**${scenario.label}** — each side primed with ${scenario.prime} requests, then ${scenario.abbaRounds * 2} runs per side (${Array.from({ length: scenario.abbaRounds }, () => 'twin, floor, floor, twin').join(', ')}), each ${scenario.warmup} warm-up and ${scenario.requestsPerRun} measured requests; floor: ${scenario.floorDoes}.`,
      '',
      table(
        ['', 'requests', 'p50', 'p99', 'mean', 'requests/s', 'p50 per run'],
        (['twin', 'floor'] as const).map((side) => {
          const s = scenario[side];
          return [
            side === 'twin' ? 'twin' : 'bare floor',
            `${s.requests}${s.complete ? '' : ' (time limit)'}`,
            ms(s.p50),
            ms(s.p99),
            ms(s.mean),
            s.requestsPerSecond.toFixed(0),
            s.runP50s.map((p) => p.toFixed(1)).join(', '),
          ];
        }),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      `Twin ÷ floor: p50 **${times(scenario.twin.p50 / scenario.floor.p50)}**, p99 **${times(scenario.twin.p99 / scenario.floor.p99)}**.`,
      '',
    );
  }
  const loginCalls = results.routeCalls.measured.find((r) => r.id === 'Login');
  if (carparks && login) {
    lines.push(
      `Login is slow by design: it verifies the password with scrypt (\`functions/domain/passwords.ts\`: tens of milliseconds of CPU and 32 MiB per attempt, on libuv's thread pool)` +
        (loginCalls ? ` and makes ${loginCalls.counts.total} DynamoDB calls in ${loginCalls.counts.roundTrips} round trips (part 4)` : '') +
        `. Its floor skips all of that, so the login ratio shows the price of password hashing on ${machine.cpus} CPUs under ${concurrency} concurrent logins, not the twin's overhead; the twin's login throughput (${login.twin.requestsPerSecond.toFixed(0)} logins/s here) is the figure to watch.`,
      '',
    );
  }

  const { measured, unmeasured, problems } = results.routeCalls;
  const operations = (counts: { byOperation: Readonly<Record<string, number>> }) =>
    Object.entries(counts.byOperation)
      .map(([op, n]) => `${op} ×${n}`)
      .join(', ') || 'none';
  lines.push(
    '## 4. DynamoDB calls per request',
    '',
    "A fresh twin whose handlers reach DynamoDB Local through a counting proxy (`AWS_ENDPOINT_URL_DYNAMODB` points at it before any handler module loads), which counts requests by their `x-amz-target` operation. One representative request per route, one at a time, each answering its contract's success status: sign up, log in, fetch and rename the user; as the demo admin create and fetch an operator, create, list, fetch and re-price a car park; as the new user set up billing with a Stripe test card, fetch it and a SetupIntent, rent a space, list and fetch tenancies, change the plate and cancel; send the contact form about the new car park; deliver the Stripe stand-in's `invoice.paid` for that tenancy to the webhook, signed with the webhook secret as Stripe signs it (its first delivery, so the consumer sends the receipt); last, forgot and reset password (the token taken from the outbox through the stand-ins' outbox API). Each login's token is used once, unmeasured, before its first counted request: that first use runs the authorizer, which reads the user (one GetItem) before API Gateway caches its answer for the token (30 s), and that read belongs to the token, not to whichever route happens to come first.",
    '',
    `A round trip is a call the request waited for on its own: calls in flight together (a \`Promise.all\`) count once; the proxy holds every answer back ${HOLD_MS} ms so that such calls overlap there even on a busy machine. Workflows a request starts (Step Functions stand-in, waits shortened to nothing) and the consumers of events it puts on the bus (the webhook's) run in the same process, sometimes before the request is answered; calls made in the request's own async context carry a marker header (a middleware on the functions' DynamoDB client), so the workflows' and consumers' calls are counted apart, until every workflow has finished and every event has been delivered. They are not on the request's path.`,
    '',
    table(
      ['route', 'request', 'status', 'calls', 'round trips', 'by operation', 'afterwards, by workflows and consumers', 'read-route target'],
      measured.map((r) => {
        const exempt = READ_EXEMPT.has(r.id);
        const expected = exempt ? 0 : BENCH.targets.readRouteRoundTrips;
        const actual = exempt ? r.counts.total : r.counts.roundTrips;
        return [
          r.id,
          `${r.method} ${r.path}`,
          String(r.status),
          String(r.counts.total),
          String(r.counts.roundTrips),
          operations(r.counts),
          r.background.total === 0 ? '—' : `${r.background.total} (${operations(r.background)})`,
          r.method !== 'GET' ? '—' : actual === expected ? `${expected}: pass` : `${expected}: **FAIL**`,
        ];
      }),
      ['l', 'l', 'r', 'r', 'r', 'l', 'l', 'l'],
    ),
    '',
  );
  if (unmeasured.length > 0 || problems.length > 0) {
    lines.push(
      ...(unmeasured.length > 0 ? [`> **Not measured:** ${unmeasured.join(', ')}.`, '>'] : []),
      ...problems.map((problem) => `> - ${problem}`),
      '',
    );
  }

  lines.push(...tenancySections(results));

  lines.push(...webSection(results));

  lines.push(...consoleSection(results));

  lines.push(
    '## Method',
    '',
    '- `npm run bench` runs all its parts in one go (a few minutes on 2 CPUs) and rewrites this file. Bundles go to `.bench/` (gitignored). Every loop is bounded by a count and a time limit; everything listens on 127.0.0.1 only, and every process the bench starts (workers, DynamoDB Local) is stopped at the end, on failure and on Ctrl-C.',
    `- Bundling: the bench's own copy of the construct's esbuild settings (\`test/bench/bundles.ts\`), checked against \`lib/constructs/app-function.ts\` on every run. Target \`node24\`, the deployed runtime, although the bench runs on ${machine.node}.`,
    `- Cold import: a fresh process per sample (\`node --input-type=module -e "await import(…)"\`), timed from spawn to exit; between ${BENCH.coldImport.minRounds} and ${BENCH.coldImport.maxRounds} rounds within a ${BENCH.coldImport.budgetMs / 1000} s budget. Locally the \`@aws-sdk\` packages load from \`node_modules\`; on Lambda they come from the runtime, and the runtime's own start-up is not included.`,
    '- Latency: percentiles by nearest rank over all measured requests of a side; any non-200 answer stops the run. The floor uses the same SDK client setup as the functions, so the ratio isolates what the twin adds: API Gateway emulation, the Lambda event, middy and the logger, zod validation, the use case and response mapping.',
    '- DynamoDB calls: counted at the HTTP level by the proxy, so SDK retries would show up as extra calls.',
    `- Tenancy workflows: a fresh twin in its own worker process, driven over HTTP from the bench's process like any client; the engine's figures (execution dates, \`describe(…).stateTransitions\`, the history's states entered) come back over the worker channel. Percentiles by nearest rank. Plates \`BN000XY\`…, one car park per part, capacity to spare, so no request meets \`409\`; a tenancy not active within ${BENCH.tenancies.perTenancyTimeoutMs / 1000} s, or any unexpected answer, is counted as a failure and fails the target.`,
    '',
  );
  return lines.join('\n');
}

/** Packages among the three largest parts of every task bundle, e.g. ` Every task bundle carries stripe (240 KB).` */
function sharedTaskPackages(results: BenchResults): string {
  const tasks = results.bundles.filter((b) => b.kind === 'task');
  if (tasks.length < 2) return '';
  const shared = tasks[0]!.largest
    .filter((part) => part.name !== 'own code')
    .filter((part) => tasks.every((t) => t.largest.some((p) => p.name === part.name)))
    .map((part) => `${part.name} (${kb(Math.min(...tasks.map((t) => t.largest.find((p) => p.name === part.name)!.bytes))).toFixed(0)} KB or more)`);
  return shared.length > 0 ? ` Every one of the ${tasks.length} task bundles carries ${shared.join(' and ')}.` : '';
}

const stateLabel: Record<LifecycleStep['id'], string> = {
  setup: 'TenancySetup',
  plate: 'PlateChange',
  vehicle: 'VehicleChange',
  cancel: 'TenancyCancellation',
  failedSetup: 'TenancySetup',
};

function tenancySections(results: BenchResults): string[] {
  const { setup, lifecycle } = results.tenancies;
  const { pollIntervalMs } = setup;
  const row = (what: string, d: { n: number; p50: number; p95: number; max: number }) => [what, String(d.n), ms(d.p50), ms(d.p95), ms(d.max)];
  const lines: string[] = [
    '## 5. Tenancy setup time: `POST /tenancies` → `active`',
    '',
    `A fresh twin (its own worker process; the Stripe stand-in and the SmartParking simulator at zero added latency and without faults; the workflow engine running \`state-machines/tenancy-setup.asl.json\` with its task functions in-process). The seeded operator creates a car park with room for ${setup.count + 10} cars; ${setup.tenants} tenants sign up and attach a test card (\`pm_card_visa\`); one unmeasured warm-up tenancy, by a tenant of its own, loads the setup's task modules. Then **${setup.count} tenancies, ${setup.concurrency} at a time**: ${setup.concurrency} lanes, each with ${setup.tenants / setup.concurrency} tenants of its own taking turns, so no tenant ever has two setups in flight; each tenant's first tenancy creates its Stripe subscription, the later ones raise its quantity.`,
    '',
    `**Reported (and held to the target): from sending the POST to the answer of the first \`GET /tenancies/{id}\` that shows \`active\`**, through the twin's HTTP API as a client sees it. The GET is sent as soon as the 202 arrives and then ${pollIntervalMs} ms after each answer (${setup.polls} GETs in all, also load on the twin), so the figure overstates by up to one poll interval plus a GET. For comparison, the setup execution's own \`startDate\` → \`stopDate\` from the engine (millisecond dates; the execution ends after \`NotifyActivated\` has sent the email, so it may end after the tenancy already shows \`active\`), and POST sent → execution stop (the wall clocks of two processes on this machine).`,
    '',
    table(
      ['measure', 'n', 'p50', 'p95', 'max'],
      [
        row('**POST sent → GET shows `active`**', setup.active),
        row('… first tenancy of its tenant (creates the subscription)', setup.activeFirstOfTenant),
        row('… later tenancies (raise the quantity)', setup.activeLater),
        row('POST sent → `202 Accepted`', setup.accepted),
        row('setup execution, start → stop (engine)', setup.execution),
        row('POST sent → setup execution stop', setup.postToExecutionStop),
      ],
      ['l', 'r', 'r', 'r', 'r'],
    ),
    '',
    `${setup.active.n} of ${setup.count} active in ${setup.seconds.toFixed(1)} s (${(setup.active.n / setup.seconds).toFixed(1)} setups/s); ` +
      `state transitions per setup execution: ${setup.setupTransitions.join(', ') || 'n/a'}.` +
      (setup.failures.length > 0 ? ` **${setup.failures.length} failed:** ${setup.failures.slice(0, 5).join('; ')}${setup.failures.length > 5 ? '; …' : ''}` : ' No failures.'),
    '',
    'On AWS the figure would add what the twin leaves out: Lambda cold starts of the task functions, Step Functions\' own scheduling between states, and real Stripe and SmartParking latency.',
    '',
    '## 6. State transitions per tenancy lifecycle',
    '',
    `AWS bills Standard workflows per state transition, so this is their cost driver. The twin's engine (\`local/stepfunctions/engine.ts\`) counts as billable every state entered, at any depth and including the final Succeed or Fail state, plus every retry; the figures are each execution's \`describe(…).stateTransitions\`, read after it ended. One tenancy at the seeded ${lifecycle.carpark} (which prices car, motorcycle and ev): set up as a car, change the plate, change the vehicle type to a motorcycle, cancel — each workflow waited for before the next; the cancellation's wait until the paid period ends is scaled to nothing on the twin (\`waitScale: 0\`) and is one transition however long it lasts on AWS. For reference, a setup with a declined card (\`pm_card_chargeCustomerFail\`, a tenant of its own), which the workflow compensates. No faults, so no retries.`,
    '',
  ];
  const price = `$${BENCH.usdPerThousandTransitions} per 1,000`;
  const costCells = (n: number) => {
    const cost = transitionCost(n);
    return [usd(cost.once, 6), usd(cost.perThousand, 3)];
  };
  const rows = lifecycle.steps
    .filter((s) => s.id !== 'failedSetup')
    .map((s) => [
      s.label,
      `\`${stateLabel[s.id]}\``,
      s.request,
      `${s.execution.status}, tenancy ${s.tenancyStatus}`,
      s.execution.statesEntered.join(' → '),
      String(s.execution.stateTransitions),
      ...costCells(s.execution.stateTransitions),
    ]);
  const happy = happyLifecycleTransitions(results);
  if (happy !== undefined) rows.push(['**Lifecycle, happy path: setup + cancellation**', '', '', '', '', `**${happy}**`, ...costCells(happy).map((c) => `**${c}**`)]);
  const all = lifecycle.steps.filter((s) => s.id !== 'failedSetup').reduce((sum, s) => sum + s.execution.stateTransitions, 0);
  if (happy !== undefined && all !== happy) rows.push(['… with one plate change and one vehicle change too', '', '', '', '', String(all), ...costCells(all)]);
  const failed = lifecycle.steps.find((s) => s.id === 'failedSetup');
  if (failed) {
    rows.push([
      `${failed.label} (reference)`,
      `\`${stateLabel[failed.id]}\``,
      failed.request,
      `${failed.execution.status}, tenancy ${failed.tenancyStatus}`,
      failed.execution.statesEntered.join(' → '),
      String(failed.execution.stateTransitions),
      ...costCells(failed.execution.stateTransitions),
    ]);
  }
  lines.push(
    table(
      ['execution', 'state machine', 'request', 'outcome', 'states entered', 'transitions', 'cost, list price', 'per 1,000'],
      rows,
      ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r'],
    ),
    '',
    `Cost at AWS's **list price for Standard workflows in us-east-1, ${price} state transitions, before the free tier** (4,000 transitions a month); "per 1,000" is a thousand such executions or lifecycles. Not included: the task functions' Lambda invocations and duration, and the API's own requests.`,
    '',
  );
  if (lifecycle.problems.length > 0) lines.push(...lifecycle.problems.map((p) => `> - ${p}`), '');
  return lines;
}

export function consoleVerdicts(results: Pick<BenchResults, 'console'>): TargetVerdict[] {
  const c = results.console;
  const target = BENCH.targets.consoleP50Ratio;
  return (['dashboard', 'search', 'timeline'] as const).map((id) => {
    const ratio = c.p50[id] / c.p50.carparks;
    return {
      name: `${CONSOLE_LABELS[id]} p50 ÷ GET /carparks p50 (${c.tenancies.toLocaleString('en-GB')} tenancies)`,
      target: `≤ ${target}×`,
      measured: `${times(ratio)} (${ms(c.p50[id])} against ${ms(c.p50.carparks)})`,
      pass: ratio <= target,
    };
  });
}

const CONSOLE_LABELS = { dashboard: 'Dashboard', search: 'Tenancy search by plate', timeline: 'Tenancy timeline' } as const;

export function consoleSection(results: Pick<BenchResults, 'console'>): string[] {
  const c = results.console;
  return [
    '## 8. The operator console at scale',
    '',
    `The demo operator with ${c.tenancies.toLocaleString('en-GB')} tenancies at its ${c.carparks} car parks, ${c.tenants.toLocaleString('en-GB')} tenants, and a year of paid invoices on every timeline (${c.invoiceEvents.toLocaleString('en-GB')} events), written straight to the table in ${c.seedSeconds.toFixed(0)} s. The dashboard's counters were then rebuilt from a full recount (\`npm run stats -- --rebuild\`: ${c.rebuildSeconds.toFixed(1)} s) and checked against another (${c.checkSeconds.toFixed(1)} s): ${c.countersEqualRecount ? 'equal' : '**they differ**'}.`,
    '',
    `Then each route primed with ${BENCH.console.primeRequests} requests (unmeasured: DynamoDB Local's JVM compiles each query shape as it first meets it), and ${c.rounds} rounds of ${c.requestsPerRound} requests to each route in turn, ${BENCH.console.concurrency} at a time, on the twin (p50 over all rounds):`,
    '',
    table(
      ['route', 'its reads of the table', 'p50', '÷ GET /carparks'],
      [
        ['`GET /carparks`', 'one query (gsi1)', ms(c.p50.carparks), '1.00×'],
        ['`GET /operators/{id}/dashboard`', 'one query (gsi2): the operator’s own months and totals, its car parks', ms(c.p50.dashboard), times(c.p50.dashboard / c.p50.carparks)],
        ['`GET /tenancies/search?q=<plate>`', 'one query (gsi3): the tenancy whole, with its tenant’s name', ms(c.p50.search), times(c.p50.search / c.p50.carparks)],
        ['`GET /tenancies/{id}/timeline` (13 events)', 'one query', ms(c.p50.timeline), times(c.p50.timeline / c.p50.carparks)],
      ],
      ['l', 'l', 'r', 'r'],
    ),
    '',
    `Read capacity of one dashboard load (one query: the operator's own 12 months and totals, its car parks and itself), as DynamoDB Local reports it: ${c.dashboardReadUnits} ${c.dashboardReadUnits === 1 ? 'unit' : 'units'}.`,
    '',
  ];
}

function webSection(results: BenchResults): string[] {
  const { web } = results;
  const portal = median(web.portalMs);
  const staticPage = median(web.staticMs);
  return [
    '## 7. Tenant portal',
    '',
    `JavaScript of the portal's Vite build, gzipped (level 9), per route: the first load (entry chunk and what it imports, which includes the car park list), then what each other page adds when first visited. Target: first load ≤ ${BENCH.targets.webFirstLoadKb} KB.`,
    '',
    table(
      ['route', 'gzipped', 'files'],
      web.routes.map((r) => [r.route, kbText(r.gzipBytes), r.files.map((f) => `\`${f}\``).join(', ')]),
      ['l', 'r', 'l'],
    ),
    '',
    `Time from navigation start to the car park list on screen, in Chromium on the twin, each visit in a fresh browser context (nothing cached), ${web.rounds} visits of each page alternating: the portal (\`/\`, its JavaScript, then \`GET /carparks\`) against the static page it replaced (one inline script fetching the same list).`,
    '',
    table(
      ['page', 'median', 'min', 'max'],
      [
        ['portal', ms(portal), ms(Math.min(...web.portalMs)), ms(Math.max(...web.portalMs))],
        ['static page', ms(staticPage), ms(Math.min(...web.staticMs)), ms(Math.max(...web.staticMs))],
        ['ratio', times(portal / staticPage), '', ''],
      ],
      ['l', 'r', 'r', 'r'],
    ),
    '',
  ];
}
