/**
 * Bundles every function exactly as the CDK construct does — the API functions, the workflows'
 * task functions and the scheduled jobs — plus two references: a hello-world handler (the floor)
 * and a module that only loads the AWS SDK's DynamoDB clients.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { functionsDir, repoRoot } from '../../lib/paths';
import { apiFunctions, routes } from '../../functions/routes';
import { scheduledJobs } from '../../functions/schedules';
import { taskFunctions, workflows } from '../../functions/workflows';
import { BENCH } from './config';

// --- the construct's bundling settings -------------------------------------------------------
// Mirrored from lib/constructs/app-function.ts (AppFunction's `runtime` and `bundling` props),
// here and nowhere else, until the construct exports them as data. `mirrorDrift()` reads the
// construct's source and names any setting that no longer matches.

/** Runtime.NODEJS_24_X: NodejsFunction targets the runtime's Node version. */
const LAMBDA_NODE_MAJOR = 24;
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const CONSTRUCT_FILE = path.join(repoRoot, 'lib', 'constructs', 'app-function.ts');

/** The esbuild options NodejsFunction derives from those props (aws-lambda-nodejs Bundling). */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    target: `node${LAMBDA_NODE_MAJOR}`,
    platform: 'node',
    format: 'esm',
    outfile,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: ['@aws-sdk/*'],
    banner: { js: REQUIRE_SHIM },
    mainFields: ['module', 'main'],
    // NodejsFunction runs esbuild from the project root.
    absWorkingDir: repoRoot,
    // For the per-package breakdown only; it does not change the bundle.
    metafile: true,
    logLevel: 'warning',
  };
}

/** Settings of the mirror above that the construct's source no longer shows; empty when in step. */
export async function mirrorDrift(): Promise<string[]> {
  const source = await readFile(CONSTRUCT_FILE, 'utf8');
  const expected = [
    `Runtime.NODEJS_${LAMBDA_NODE_MAJOR}_X`,
    'format: OutputFormat.ESM',
    "mainFields: ['module', 'main']",
    'banner: REQUIRE_SHIM',
    JSON.stringify(REQUIRE_SHIM),
    'minify: true',
    'sourceMap: true',
    'sourcesContent: false',
    "externalModules: ['@aws-sdk/*']",
  ];
  return expected.filter((snippet) => !source.includes(snippet));
}

// --- bundling --------------------------------------------------------------------------------

/** `function`: an API function (routes and authorizer); `task`: a workflow task function; `job`: a scheduled job. */
export type BundleKind = 'function' | 'task' | 'job' | 'hello-world' | 'sdk-reference';

export interface BundleResult {
  readonly id: string;
  /** The route (`GET /carparks`) or what the bundle is. */
  readonly label: string;
  readonly kind: BundleKind;
  /** The handler module, relative to `functions/` (none for the references). */
  readonly handler?: string;
  /** The built `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** Biggest contributors to the bundle, by package (`own code` for the repository's). */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
  /** Packages left external (loaded from the runtime at import), e.g. `@aws-sdk/client-dynamodb`. */
  readonly externals: readonly string[];
  /** Those of `externals` imported statically, so loaded when the bundle is (not by a later `import()`). */
  readonly eagerExternals: readonly string[];
}

interface Entry {
  readonly id: string;
  readonly label: string;
  readonly kind: BundleKind;
  readonly handler?: string;
  readonly entry: string;
}

export const HELLO_WORLD_ID = 'hello-world';
export const SDK_REFERENCE_ID = 'sdk-reference';

function entries(): Entry[] {
  const routeLabel = new Map<string, string>(routes.map((route) => [route.id, `${route.method} ${route.path}`]));
  const fixtures = path.join(repoRoot, 'test', 'bench', 'fixtures');
  return [
    ...apiFunctions.map((fn) => ({
      id: fn.id,
      label: routeLabel.get(fn.id) ?? 'Lambda authorizer',
      kind: 'function' as const,
      handler: fn.handler,
      entry: path.join(functionsDir, fn.handler),
    })),
    ...taskEntries(),
    ...scheduledJobs.map((job) => ({
      id: job.id,
      label: `scheduled, \`${job.schedule}\``,
      kind: 'job' as const,
      handler: job.handler,
      entry: path.join(functionsDir, job.handler),
    })),
    { id: HELLO_WORLD_ID, label: 'hello-world handler', kind: 'hello-world', entry: path.join(fixtures, 'hello-world.ts') },
    {
      id: SDK_REFERENCE_ID,
      label: '@aws-sdk/client-dynamodb + lib-dynamodb, one DocumentClient',
      kind: 'sdk-reference',
      entry: path.join(fixtures, 'sdk-reference.ts'),
    },
  ];
}

/** One Lambda per task handler, as the CDK creates them (keyed by handler), named after its substitution key. */
function taskEntries(): Entry[] {
  const byHandler = new Map<string, { names: string[]; workflows: Set<string> }>();
  for (const [key, spec] of Object.entries(taskFunctions)) {
    const entry = byHandler.get(spec.handler) ?? { names: [], workflows: new Set<string>() };
    entry.names.push(key.replace(/FunctionArn$/, ''));
    for (const workflow of workflows) {
      if (Object.values(workflow.tasks).some((task) => task.handler === spec.handler)) entry.workflows.add(workflow.id);
    }
    byHandler.set(spec.handler, entry);
  }
  return [...byHandler].map(([handler, { names, workflows: usedBy }]) => ({
    id: names.join('/'),
    label: usedBy.size > 0 ? [...usedBy].join(', ') : 'no workflow',
    kind: 'task' as const,
    handler,
    entry: path.join(functionsDir, handler),
  }));
}

export async function bundleAll(progress: (line: string) => void): Promise<BundleResult[]> {
  const bundlesDir = path.join(BENCH.outDir, 'bundles');
  await rm(bundlesDir, { recursive: true, force: true });
  const results: BundleResult[] = [];
  for (const entry of entries()) {
    // index.mjs: the name NodejsFunction gives an ESM bundle.
    const file = path.join(bundlesDir, entry.id.replaceAll('/', '+'), 'index.mjs');
    const { metafile } = await build(lambdaBuildOptions(entry.entry, file));
    const [{ size: bytes }, { size: mapBytes }] = await Promise.all([stat(file), stat(`${file}.map`)]);
    const output = metafile?.outputs[path.relative(repoRoot, file).split(path.sep).join('/')];
    results.push({
      ...entry,
      file,
      bytes,
      mapBytes,
      largest: largestPackages(output),
      externals: externalPackages(output),
      eagerExternals: externalPackages(output, true),
    });
    progress(`${entry.id.padEnd(22)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
  }
  return results;
}

type Output = Metafile['outputs'][string];

function largestPackages(output: Output | undefined): { name: string; bytes: number }[] {
  if (!output) return [];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'own code';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}

function externalPackages(output: Output | undefined, eagerOnly = false): string[] {
  const external = (output?.imports ?? [])
    .filter((i) => i.external && !isBuiltin(i.path) && !(eagerOnly && i.kind === 'dynamic-import'))
    .map((i) => i.path);
  return [...new Set(external)].sort();
}
