/**
 * Cold import: each bundle imported by a fresh Node process, timed from spawn to exit, as a
 * Lambda cold start pays it (minus the runtime's own bootstrap). Bundles take turns round-robin,
 * the order rotating each round, so that drift on a busy machine hits them all alike.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../lib/paths';
import type { BundleResult } from './bundles';
import { BENCH } from './config';

export interface ColdImportSamples {
  readonly id: string;
  /** Whole process, spawn to exit. */
  readonly wallMs: number[];
  /** The `import()` alone, timed inside the process. */
  readonly importMs: number[];
}

export interface ColdImportResult {
  readonly rounds: number;
  /** Imported once, unmeasured, first. */
  readonly warmedWith: readonly string[];
  readonly samples: ReadonlyMap<string, ColdImportSamples>;
}

/** Imports the bundle, insists on a `handler` function, prints how long the import took. */
const loaderCode = (file: string) =>
  [
    'const started = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const took = performance.now() - started;',
    "if (typeof module.handler !== 'function') { console.error('no handler export'); process.exit(3); }",
    'process.stdout.write(String(took));',
  ].join('\n');

/** The bench's own environment, minus anything that would load extra code into the child. */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.NODE_OPTIONS;
  return env;
}

function importOnce(bundle: BundleResult, env: NodeJS.ProcessEnv): { wallMs: number; importMs: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', loaderCode(bundle.file)], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: BENCH.coldImport.processTimeoutMs,
  });
  const wallMs = performance.now() - started;
  if (child.error) throw new Error(`Importing ${bundle.id} failed: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`Importing ${bundle.id} exited with ${child.status ?? child.signal}:\n${child.stderr}`);
  return { wallMs, importMs: Number(child.stdout) };
}

export function measureColdImports(bundles: readonly BundleResult[], progress: (line: string) => void): ColdImportResult {
  const { warmupRounds, minRounds, maxRounds, budgetMs } = BENCH.coldImport;
  const env = childEnvironment();
  const samples = new Map(bundles.map((b) => [b.id, { id: b.id, wallMs: [] as number[], importMs: [] as number[] }]));

  // Warm the file cache for what bundles share (the external packages) without a whole round.
  const warmers = coveringExternals(bundles);
  for (let round = 0; round < warmupRounds; round++) for (const bundle of warmers) importOnce(bundle, env);

  const started = performance.now();
  let rounds = 0;
  while (rounds < maxRounds && (rounds < minRounds || performance.now() - started < budgetMs)) {
    // Rotate the order so that no bundle always runs first.
    const order = bundles.map((_, i) => bundles[(i + rounds) % bundles.length]!);
    for (const bundle of order) {
      const { wallMs, importMs } = importOnce(bundle, env);
      const entry = samples.get(bundle.id)!;
      entry.wallMs.push(wallMs);
      entry.importMs.push(importMs);
    }
    rounds++;
    progress(`round ${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return { rounds, warmedWith: warmers.map((b) => b.id), samples };
}

/** Few bundles that between them import every external package any bundle does (greedy cover). */
function coveringExternals(bundles: readonly BundleResult[]): BundleResult[] {
  const missing = new Set(bundles.flatMap((b) => b.externals));
  const chosen: BundleResult[] = [];
  while (missing.size > 0) {
    const best = bundles.reduce((a, b) => (b.externals.filter((e) => missing.has(e)).length > a.externals.filter((e) => missing.has(e)).length ? b : a));
    for (const external of best.externals) missing.delete(external);
    chosen.push(best);
  }
  return chosen;
}
