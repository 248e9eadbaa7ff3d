/**
 * `npm run invoke -- <FunctionId> [events/<file>.json]`: runs one handler, as Lambda would, against
 * the running twin (`npm start` in another terminal): its DynamoDB Local, stand-ins, workflows and
 * event bus. Prints the handler's result (an API response's JSON body decoded) and exits 1 if the
 * handler threw. Without a file it uses the function's sample from events/.
 *
 * Function ids: route ids (`GetTenancy`), `Authorizer`, event-rule ids (`InvoicePaid`), workflow
 * task names (`RegisterPlate`) and scheduled job ids (`ReconcileBarriers`); `npm run invoke` alone
 * lists them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invocableFunctions } from './sample-events/catalogue';
import { createLambdaContext } from './gateway/lambda-context';
import { createLambdaRunner } from './gateway/lambda-runner';
import { readTwinState, twinStateDir } from './twin-state';
import { applyEnvironment } from './twin-environment';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT_MS = 30_000;

async function main(): Promise<number> {
  const [functionId, file] = process.argv.slice(2).filter((arg) => arg !== '--');
  const functions = invocableFunctions(ROOT);
  const target = functionId ? functions.get(functionId) : undefined;
  if (!functionId || !target) {
    if (functionId) console.error(`No function "${functionId}".`);
    console.error('Usage: npm run invoke -- <FunctionId> [events/<file>.json]\n\nFunctions and their sample events:');
    for (const [id, { sample }] of [...functions].sort(([a], [b]) => a.localeCompare(b))) console.error(`  ${id.padEnd(26)} ${sample}`);
    return 2;
  }

  const twin = readTwinState(path.join(twinStateDir(ROOT), 'twin.json'));
  if (!twin) {
    console.error('The twin is not running. Start it in another terminal with `npm start`, then run this again.');
    return 2;
  }
  const eventFile = path.resolve(file ?? path.join(ROOT, target.sample));
  let event: unknown;
  try {
    event = JSON.parse(await readFile(eventFile, 'utf8'));
  } catch (error) {
    console.error(`Cannot read the event ${path.relative(process.cwd(), eventFile)}: ${(error as Error).message}`);
    return 2;
  }

  applyEnvironment(twin.environment);
  const context = createLambdaContext(
    { functionName: functionId, timeoutMs: TIMEOUT_MS, memoryLimitInMB: 512 },
    { accountId: '000000000000', region: twin.environment.AWS_REGION ?? 'eu-west-2' },
  );
  const outcome = await createLambdaRunner(path.join(ROOT, 'functions')).invoke(target.handler, event, context, TIMEOUT_MS);
  switch (outcome.kind) {
    case 'returned':
      console.log(JSON.stringify(decodeBody(outcome.value), null, 2));
      return 0;
    case 'threw': {
      const error = outcome.error as Error;
      console.log(JSON.stringify({ errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) }, null, 2));
      return 1;
    }
    case 'timedOut':
      console.log(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${TIMEOUT_MS / 1000} seconds` }));
      return 1;
  }
}

/** An API Gateway response's JSON body, shown as JSON rather than as a string. */
function decodeBody(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || typeof (value as { body?: unknown }).body !== 'string') return value;
  const response = value as { body: string };
  try {
    return { ...response, body: JSON.parse(response.body) as unknown };
  } catch {
    return value;
  }
}

// Handlers keep SDK clients (sockets) open: exit once the result is printed.
process.exit(await main());
