/**
 * `npm start`: the offline twin. DynamoDB Local (data kept in .local/dynamodb), the AWS stand-ins
 * (SES outbox in .local/outbox, Secrets Manager with a signing key kept in .local/secrets.json)
 * and the API on http://127.0.0.1:3000, running the same handler modules Lambda runs.
 *
 * Ports: PORT (API, 3000), TWIN_CONSOLE_PORT (stand-ins and outbox console, 3001),
 * DYNAMODB_PORT (8000), STRIPE_PORT (12111), SMARTPARKING_PORT (3002), XERO_PORT (3003),
 * STEPFUNCTIONS_PORT (8083), EVENTBRIDGE_PORT (8084). TWIN_STATE_DIR (.local) keeps the data.
 * TWIN_WAIT_SCALE scales workflow waits (default 1/43,200: a month's wait takes a minute); the
 * dunning workflow's waits follow the customer's Stripe test clock instead
 * (TWIN_CUSTOMER_TEST_CLOCKS=false turns customer clocks off). DUNNING_RETRY_DAYS sets the schedule.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../functions/adapters/dynamodb/table-schema';
import { authorizer, routes } from '../functions/routes';
import { startAwsStandins } from './aws-standins';
import { ensureTable, JavaNotFoundError, startDynamoDbLocal } from './dynamodb';
import { integrationSecrets, startIntegrations } from './integrations';
import { createGateway } from './gateway';
import { apiPathSegments, serveGateway } from './http-server';
import { watchLaunchers } from './lifetime';
import { assertPortFree, BAD_PORTS, PortInUseError } from './ports';
import { twinStateDir, writeTwinState } from './twin-state';
import { applyEnvironment, configuredAllowedOrigins, twinEnvironment } from './twin-environment';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATE_DIR = twinStateDir(ROOT);
const HOST = '127.0.0.1';
const REGION = 'eu-west-2';
const TABLE_NAME = 'carpark-tenancy-local';
const JWT_SECRET_ID = 'carpark-tenancy/local/jwt-signing-key';
const SENDER_EMAIL = 'no-reply@carpark.local';

type DemoLogin = Awaited<ReturnType<typeof import('./seed').seedDemoData>>['logins'][number];

/** Everything started so far, stopped in reverse order on Ctrl-C or a failed start. */
const stopOnExit: { name: string; stop: () => Promise<void> }[] = [];

async function main(): Promise<void> {
  const startedAt = Date.now();
  const ports = {
    api: portFromEnv('PORT', 3000),
    console: portFromEnv('TWIN_CONSOLE_PORT', 3001),
    dynamodb: portFromEnv('DYNAMODB_PORT', 8000),
    stripe: portFromEnv('STRIPE_PORT', 12111),
    smartParking: portFromEnv('SMARTPARKING_PORT', 3002),
    xero: portFromEnv('XERO_PORT', 3003),
    stepFunctions: portFromEnv('STEPFUNCTIONS_PORT', 8083),
    eventBridge: portFromEnv('EVENTBRIDGE_PORT', 8084),
  };
  const apiUrl = `http://${HOST}:${ports.api}`;
  console.log('Carpark Tenancy: starting the offline twin\n');

  await checkPortsFree(ports);

  const dynamo = await step('Starting DynamoDB Local', () =>
    startDynamoDbLocal({ port: ports.dynamodb, dataDir: path.join(STATE_DIR, 'dynamodb') }),
  );
  stopOnExit.push({ name: 'DynamoDB Local', stop: dynamo.stop });
  dynamo.onUnexpectedExit((description) => stop(`${description}.`, 1));

  const secrets = await loadOrCreateSecrets(path.join(STATE_DIR, 'secrets.json'));
  const integrationSecretSet = integrationSecrets('carpark-tenancy/local', secrets[SMARTPARKING_KEY_ID]);
  const standins = await step('Starting the AWS stand-ins (SES outbox, Secrets Manager)', () =>
    startAwsStandins({
      port: ports.console,
      outboxDir: path.join(STATE_DIR, 'outbox'),
      secrets: { ...secrets, ...integrationSecretSet.values },
      region: REGION,
    }),
  );
  stopOnExit.push({ name: 'AWS stand-ins', stop: standins.close });

  const integrations = await step('Starting Stripe, SmartParking and Step Functions stand-ins', () =>
    startIntegrations({
      rootDir: ROOT,
      secrets: integrationSecretSet,
      host: HOST,
      ports: {
        stripe: ports.stripe,
        smartParking: ports.smartParking,
        xero: ports.xero,
        stepFunctions: ports.stepFunctions,
        eventBridge: ports.eventBridge,
      },
      dataDir: STATE_DIR,
      waitScale: Number(process.env.TWIN_WAIT_SCALE ?? 1 / 43_200),
      // Each tenant's billing time moves when its Stripe test clock is advanced (twin console).
      customerTestClocks: process.env.TWIN_CUSTOMER_TEST_CLOCKS !== 'false',
      ...(process.env.DUNNING_RETRY_DAYS ? { dunningRetryDays: process.env.DUNNING_RETRY_DAYS } : {}),
      retryIntervalMs: 500,
      log: (line) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`),
    }),
  );
  stopOnExit.push({ name: 'integrations', stop: integrations.close });

  // Before any handler module loads: handlers and their adapters read configuration from here.
  const handlerEnvironment = {
    ...twinEnvironment({
      tableName: TABLE_NAME,
      jwtSecretId: JWT_SECRET_ID,
      senderEmail: SENDER_EMAIL,
      webBaseUrl: apiUrl,
      stage: 'local',
      region: REGION,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: standins.sesEndpoint,
      secretsManagerEndpoint: standins.secretsManagerEndpoint,
    }),
    ...integrations.environment,
  };
  applyEnvironment(handlerEnvironment);

  const dynamoClient = new DynamoDBClient({});
  const table = await step(`Ensuring table ${TABLE_NAME}`, () => ensureTable(dynamoClient, TABLE_NAME, tableSchema), ({ created, addedIndexes }) =>
    created ? 'created' : addedIndexes.length > 0 ? `already there; added index ${addedIndexes.join(', ')}` : 'already there',
  );
  dynamoClient.destroy();
  if (!table.created) {
    // Data kept from an earlier run may predate the plate index: put it right, as a deploy does
    // (every start, so one stopped halfway is finished).
    const { checkPlateIndex, writePlateIndex } = await import('../bin/plate-index');
    await step('Checking the plate index', async () => writePlateIndex(await checkPlateIndex()), (written) => (written > 0 ? `${written} item(s) indexed` : 'up to date'));
    // It may also predate a counter (the operators' own months and totals): recount them, safe
    // while nothing runs yet.
    const { checkStats, rebuildStats } = await import('../bin/stats');
    const differing = await step('Checking the dashboard counters', checkStats, (found) =>
      found.size > 0 ? `different from a full recount for ${found.size} operator(s):` : 'equal to a full recount',
    );
    if (differing.size > 0) {
      // Said before they are replaced, so a counter that drifted is seen, not silently put right.
      for (const [operatorId, lines] of differing) for (const line of lines) console.log(`    operator ${operatorId}: ${line}`);
      await step('Rebuilding the dashboard counters', rebuildStats, (rebuilt) => `${rebuilt} operator(s) rebuilt`);
    }
  }

  // Imported only now: the seed goes through the same repositories as the handlers.
  const { seedDemoData } = await import('./seed');
  const seeded = await step('Seeding demo data', seedDemoData, ({ created }) => (created ? 'seeded' : 'already seeded'));

  const gateway = createGateway({
    routes,
    authorizer,
    functionsDir: path.join(ROOT, 'functions'),
    allowedOrigins: [...new Set([...configuredAllowedOrigins(ROOT), apiUrl])],
  });
  const { failed } = await step('Loading handlers', () => gateway.preload(), ({ loaded, failed }) =>
    failed.length === 0 ? `${loaded.length} modules` : `${failed.length} of ${loaded.length + failed.length} failed`,
  );
  for (const { module, error } of failed) console.warn(`  ! ${module}: ${error instanceof Error ? error.message : String(error)}`);

  // The tenant portal, built by `npm run build:web` (which `npm start` runs first).
  const webDir = path.join(ROOT, 'web', 'dist');
  const hasWebSite = existsSync(path.join(webDir, 'index.html'));
  const server = await step(`Serving the API on ${apiUrl}`, () =>
    serveGateway(gateway, {
      port: ports.api,
      host: HOST,
      ...(hasWebSite && { staticDir: webDir, apiPathSegments: apiPathSegments(routes.map((route) => route.path)) }),
      log: (line) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`),
    }),
  );
  stopOnExit.push({ name: 'API server', stop: server.close });
  integrations.deliverStripeEventsTo(server.url);
  // `npm run invoke` finds the running twin here.
  const forgetState = writeTwinState(path.join(STATE_DIR, 'twin.json'), {
    pid: process.pid,
    javaPid: dynamo.pid,
    apiUrl: server.url,
    environment: handlerEnvironment,
  });
  stopOnExit.push({ name: 'twin state', stop: async () => forgetState() });
  // Workflows run in memory here: any a previous run left unfinished are gone, so the sweeper
  // resumes them now, as it would in AWS after their deadline.
  const { sweepDeps } = await import('../functions/handlers/jobs/sweep-tenancies');
  const { sweepTenancies } = await import('../functions/domain/sweeper');
  await step('Resuming unfinished tenancy workflows', () => sweepTenancies(sweepDeps, { executionsLost: true }), ({ resumed }) => `${resumed.length} resumed`);

  printBanner({
    apiUrl: server.url,
    outboxUrl: `${standins.endpoint}/outbox`,
    stripeUrl: integrations.stripe.url,
    smartParkingUrl: integrations.smartParking.url,
    xeroUrl: integrations.xero.url,
    dynamoEndpoint: dynamo.endpoint,
    tableIsNew: table.created,
    hasWebSite,
    logins: seeded.logins,
    seconds: (Date.now() - startedAt) / 1000,
  });
}

/** Runs one startup step, printing `label… detail in 1.2 s` when done. */
async function step<T>(label: string, run: () => Promise<T>, describe: (result: T) => string = () => 'ready'): Promise<T> {
  const started = Date.now();
  process.stdout.write(`  ${label}… `);
  try {
    const result = await run();
    process.stdout.write(`${describe(result)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return result;
  } catch (error) {
    process.stdout.write('failed\n');
    throw error;
  }
}

async function checkPortsFree(
  ports: Record<'api' | 'console' | 'dynamodb' | 'stripe' | 'smartParking' | 'xero' | 'stepFunctions' | 'eventBridge', number>,
): Promise<void> {
  const variables = {
    api: 'PORT',
    console: 'TWIN_CONSOLE_PORT',
    dynamodb: 'DYNAMODB_PORT',
    stripe: 'STRIPE_PORT',
    smartParking: 'SMARTPARKING_PORT',
    xero: 'XERO_PORT',
    stepFunctions: 'STEPFUNCTIONS_PORT',
    eventBridge: 'EVENTBRIDGE_PORT',
  } as const;
  for (const [use, port] of Object.entries(ports) as [keyof typeof ports, number][]) {
    try {
      await assertPortFree(port, HOST);
    } catch (error) {
      if (error instanceof PortInUseError) {
        throw new StartupError(
          `Port ${port} (${use}) is already in use on ${HOST}. Is the twin already running? ` +
            `Stop the other process, or pick another port: ${variables[use]}=<port> npm start`,
        );
      }
      throw error;
    }
  }
}

const SMARTPARKING_KEY_ID = 'carpark-tenancy/local/smartparking-api-key';

/** The JWT signing key and SmartParking key are generated once and kept: tokens survive a restart. */
async function loadOrCreateSecrets(file: string): Promise<Record<string, string>> {
  const existing = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, string>) : {};
  if (existing[JWT_SECRET_ID] && existing[SMARTPARKING_KEY_ID]) return existing;
  const secrets = {
    [JWT_SECRET_ID]: randomBytes(48).toString('base64url'),
    [SMARTPARKING_KEY_ID]: randomBytes(24).toString('hex'),
    ...existing,
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

function printBanner(info: {
  apiUrl: string;
  outboxUrl: string;
  stripeUrl: string;
  smartParkingUrl: string;
  xeroUrl: string;
  dynamoEndpoint: string;
  tableIsNew: boolean;
  hasWebSite: boolean;
  logins: DemoLogin[];
  seconds: number;
}): void {
  const lines = [
    '',
    `Carpark Tenancy offline twin is running (started in ${info.seconds.toFixed(1)} s)`,
    '',
    `  API        ${info.apiUrl}`,
    `  OpenAPI    ${info.apiUrl}/openapi.json`,
    ...(info.hasWebSite ? [`  Portal     ${info.apiUrl}/   (the tenant portal: car parks, sign-up, renting, billing)`] : []),
    `  Outbox     ${info.outboxUrl}   (every email sent; JSON at /outbox.json)`,
    `  Barriers   ${info.smartParkingUrl}/   (SmartParking simulator: each site's whitelisted plates)`,
    `  Stripe     ${info.stripeUrl}   (Stripe stand-in; test cards pm_card_visa, pm_card_chargeCustomerFail; Stripe.js at /v3/)`,
    `  Clocks     ${info.stripeUrl}/_standin/clocks   (each customer's Stripe test clock: advance it to renew, fail, retry)`,
    `  Xero       ${info.xeroUrl}   (Xero simulator: invoices of the demo corporate customer)`,
    `  DynamoDB   ${info.dynamoEndpoint}   (table ${TABLE_NAME}, ` +
      `${info.tableIsNew ? 'new' : 'kept from the last run'}, data in .local/dynamodb)`,
    '',
  ];
  if (info.logins.length > 0) {
    const roleWidth = Math.max(...info.logins.map((login) => login.role.length));
    const emailWidth = Math.max(...info.logins.map((login) => login.email.length));
    lines.push('  Demo logins');
    for (const login of info.logins) {
      lines.push(`    ${login.role.padEnd(roleWidth)}  ${login.email.padEnd(emailWidth)}  ${login.password}`);
    }
    lines.push('');
  }
  lines.push('  Press Ctrl-C to stop. Data in .local/ is kept for the next start (delete .local/ to start afresh).', '');
  console.log(lines.join('\n'));
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartupError(`${name}=${raw} is not a valid port`);
  if (BAD_PORTS.has(port)) {
    throw new StartupError(
      `${name}=${raw}: browsers and fetch refuse to connect to port ${port} (one of the Fetch standard's "bad ports"), ` +
        'so nothing could call that service. Pick another port.',
    );
  }
  return port;
}

class StartupError extends Error {}

async function stopEverything(): Promise<void> {
  for (const { name, stop } of stopOnExit.splice(0).reverse()) {
    await stop().catch((error: unknown) => console.error(`  Could not stop ${name}:`, error));
  }
}

/** Stopping normally takes well under a second; past this, exit anyway (the exit hook still kills java). */
const STOP_TIMEOUT_MS = 10_000;
let stopping = false;

/** Stops everything once, whatever asked first (a signal, a launcher gone, DynamoDB Local gone). */
function stop(reason: string, exitCode: number): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason} Stopping the twin…`);
  setTimeout(() => {
    console.error(`Still stopping after ${STOP_TIMEOUT_MS / 1000} s; exiting anyway.`);
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  void stopEverything().then(() => {
    console.log('Stopped.');
    process.exit(exitCode);
  });
}

// Ctrl-C reaches this process twice (from the terminal and relayed by tsx): stop() acts on the first.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(`${signal}.`, 0));
// npm, its shell or tsx killed without passing the signal on: stop rather than linger as an orphan.
watchLaunchers((description) => stop(`Exiting: ${description}.`, 0));

main().catch(async (error: unknown) => {
  const known = error instanceof StartupError || error instanceof JavaNotFoundError || error instanceof PortInUseError;
  console.error(`The twin could not start: ${known ? (error as Error).message : ''}`);
  if (!known) console.error(error);
  await stopEverything();
  process.exit(1);
});
