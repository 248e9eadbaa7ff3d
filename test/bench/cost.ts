/**
 * docs/cost.md: what the platform costs to run per tenant-month, from what the bench measured
 * (DynamoDB calls per route and per workflow, state transitions and task invocations per
 * workflow execution) and stated assumptions (how often a tenant does what, item sizes, function
 * durations), times AWS list prices of one region (US East, N. Virginia), free tiers left out,
 * Stripe's fees excluded. Dunning, which the bench does not run, is derived from its ASL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../lib/paths';
import { workflows } from '../../functions/workflows';
import type { BenchResults } from './report';
import type { CallCounts } from './workers/counting-proxy';

/** AWS list prices, US East (N. Virginia), as published in December 2026; no free tier. */
export const PRICES = {
  region: 'us-east-1 (N. Virginia)',
  apiGatewayPerMillionRequests: 1.0, // HTTP API, first 300 million
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWriteUnits: 0.625, // on-demand
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  stepFunctionsPerThousandTransitions: 0.025, // Standard
  eventBridgePerMillionEvents: 1.0, // custom events put
  sesPerThousandEmails: 0.1,
  cloudWatchLogsPerGbIngested: 0.5,
  secretsManagerPerSecretMonth: 0.4,
  cloudWatchAlarmPerMonth: 0.1,
  snsEmailPerThousand: 0.02,
} as const;

/** What the bench cannot measure: how tenants behave, and sizes and durations on AWS. Each is named in the report. */
export const ASSUMPTIONS = {
  tenancyMonths: 12, // a tenancy lasts a year on average: setup and cancellation spread over 12 months
  apiReadsPerTenantMonth: 20, // GET /tenancies, /tenancies/{id}, /billing, /carparks, /users/{id} while using the site
  loginsPerTenantMonth: 2,
  plateOrVehicleChangesPerTenancyYear: 1,
  stripeEventsPerRenewal: 2, // invoice.paid on the webhook, fanned out to InvoicePaid and InvoiceSettled; the webhook endpoint subscribes only to consumed types
  dunningShare: 0.05, // 5 % of renewals fail once
  dunningRecoveredShare: 0.6, // of those, 60 % are paid (new card) before suspension
  dunningRetriesBeforeRecovery: 1,
  itemKb: 1, // every item ≤ 1 KB: 1 write unit per item written, 0.5 read unit per eventually consistent read (1 if strongly consistent)
  transactionItems: 4, // CreateTenancy's transaction: tenancy, space counter, plate, billed quantity; 2 units per item
  lambdaMemoryGb: 0.5,
  lambdaAverageMs: 120, // billed duration including the occasional cold start
  logBytesPerInvocation: 1_500, // Powertools JSON lines plus the platform's START/END/REPORT
  storageKbPerTenancy: 4, // tenancy, user, billing, payments and arrears items
  secrets: 5, // JWT key, Stripe key, webhook secret, SmartParking key, Xero credentials
  alarms: 12,
  reconciliationRunsPerMonth: 30,
} as const;

interface Units {
  reads: number;
  writes: number;
  calls: number;
}

/** Read and write units of counted DynamoDB calls, by operation, under the item-size assumption. */
export function capacityUnits(counts: CallCounts | undefined): Units {
  const units = { reads: 0, writes: 0, calls: counts?.total ?? 0 };
  for (const [operation, n] of Object.entries(counts?.byOperation ?? {})) {
    switch (operation) {
      case 'GetItem':
      case 'Query':
      case 'Scan':
        units.reads += n * 1; // strongly consistent (the handlers read their own writes), ≤ 4 KB
        break;
      case 'BatchGetItem':
        units.reads += n * 2;
        break;
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem':
        units.writes += n * ASSUMPTIONS.itemKb;
        break;
      case 'TransactWriteItems':
        units.writes += n * 2 * ASSUMPTIONS.transactionItems * ASSUMPTIONS.itemKb;
        break;
      case 'TransactGetItems':
        units.reads += n * 2 * ASSUMPTIONS.transactionItems;
        break;
      default:
        break; // DescribeTable and the like: not billed as units
    }
  }
  return units;
}

/** Task states of a workflow, from its ASL. */
function taskStates(workflowId: string): Set<string> {
  const workflow = workflows.find((w) => w.id === workflowId);
  const tasks = new Set<string>();
  if (!workflow) return tasks;
  const asl = JSON.parse(readFileSync(path.join(repoRoot, 'state-machines', workflow.definitionFile), 'utf8')) as { States: Record<string, AslState> };
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') tasks.add(name);
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.Iterator) visit(state.Iterator.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit(asl.States);
  return tasks;
}
interface AslState {
  Type: string;
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

/** One kind of activity, per occurrence, and how often it happens per tenant-month. */
interface Activity {
  readonly label: string;
  readonly perMonth: number;
  readonly apiRequests: number;
  readonly invocations: number;
  readonly units: Units;
  readonly transitions: number;
  readonly events: number;
  readonly emails: number;
  /** `measured`, `derived` (from the ASL), or what was assumed. */
  readonly source: string;
}

const routeById = (results: BenchResults, id: string) => results.routeCalls.measured.find((r) => r.id === id);
const add = (a: Units, b: Units): Units => ({ reads: a.reads + b.reads, writes: a.writes + b.writes, calls: a.calls + b.calls });

export function activities(results: BenchResults): Activity[] {
  const list: Activity[] = [];
  const a = ASSUMPTIONS;
  const step = (id: string) => results.tenancies.lifecycle.steps.find((s) => s.id === id);
  const workflowTasks = (id: string, entered: readonly string[]) => {
    const tasks = taskStates(id);
    return entered.filter((name) => tasks.has(name)).length;
  };

  // API reads: the median of the measured GET routes (user-facing, not /openapi.json or /health).
  const reads = results.routeCalls.measured.filter((r) => r.method === 'GET' && !['OpenApi', 'Health'].includes(r.id));
  const readUnits = reads.map((r) => capacityUnits(r.counts)).sort((x, y) => x.reads - y.reads)[Math.floor(reads.length / 2)] ?? { reads: 1, writes: 0, calls: 1 };
  list.push({
    label: 'Reading pages of the site (GET routes)',
    perMonth: a.apiReadsPerTenantMonth,
    apiRequests: 1,
    invocations: 1.1, // the authorizer runs once per token per 5 minutes: about one call in ten
    units: readUnits,
    transitions: 0,
    events: 0,
    emails: 0,
    source: `units measured (median of ${reads.length} GET routes); ${a.apiReadsPerTenantMonth} a month assumed`,
  });
  const login = routeById(results, 'Login');
  list.push({
    label: 'Signing in (POST /auth/login)',
    perMonth: a.loginsPerTenantMonth,
    apiRequests: 1,
    invocations: 1,
    units: capacityUnits(login?.counts),
    transitions: 0,
    events: 0,
    emails: 0,
    source: `units measured; ${a.loginsPerTenantMonth} a month assumed`,
  });

  const lifecycle = (id: 'setup' | 'cancel' | 'plate' | 'vehicle', routeId: string, label: string, perMonth: number, emails: number) => {
    const measured = step(id);
    const route = routeById(results, routeId);
    const workflowId = measured?.execution.workflowId ?? '';
    list.push({
      label,
      perMonth,
      apiRequests: 1,
      invocations: 1 + (measured ? workflowTasks(workflowId, measured.execution.statesEntered) : 0),
      units: add(capacityUnits(route?.counts), capacityUnits(route?.background)),
      transitions: measured?.execution.stateTransitions ?? 0,
      events: 0,
      emails,
      source: `transitions, task invocations and units measured; ${perMonth === 1 / a.tenancyMonths ? `once per ${a.tenancyMonths}-month tenancy` : `${(perMonth * 12).toFixed(0)} a year`} assumed`,
    });
  };
  lifecycle('setup', 'CreateTenancy', 'Renting a space (POST /tenancies → TenancySetup)', 1 / a.tenancyMonths, 1);
  lifecycle('cancel', 'CancelTenancy', 'Cancelling (DELETE /tenancies/{id} → TenancyCancellation)', 1 / a.tenancyMonths, 2);
  lifecycle('plate', 'UpdateTenancy', 'Changing plate or vehicle (PATCH → PlateChange)', a.plateOrVehicleChangesPerTenancyYear / 12, 1);

  // The monthly renewal: Stripe's webhook, the bus, the receipt consumer and the settlement consumer.
  const webhook = routeById(results, 'StripeWebhook');
  list.push({
    label: 'Monthly renewal paid (webhook → bus → InvoicePaid, InvoiceSettled)',
    perMonth: 1,
    apiRequests: a.stripeEventsPerRenewal - 1,
    invocations: (a.stripeEventsPerRenewal - 1) + 2,
    units: add(capacityUnits(webhook?.counts), capacityUnits(webhook?.background)),
    transitions: 0,
    events: a.stripeEventsPerRenewal - 1,
    emails: 1,
    source: webhook ? 'webhook and consumers\' units measured; one receipt' : 'assumed',
  });

  // Dunning, derived from the ASL (the bench does not run it), with the default three retry days.
  // Recovered at the first retry: OpenArrears, IsUnpaid, PlanFirstRetry, NotifyPaymentFailed,
  // HasNextRetry, WaitForRetry, RetryPayment, RetryResult, SettleArrears, Settled (10; 4 tasks;
  // the failure notice and the receipt). Suspended after every retry: the first five, then per retry
  // WaitForRetry, RetryPayment, RetryResult, PlanNextRetry, AnyRetryLeft (+ NotifyRetryFailed but
  // after the last), then SuspendTenancies, WasSuspended, NotifySuspended, Suspended (26; 9 tasks;
  // four notices).
  const dunningTasks = taskStates('InvoiceDunning');
  const retryDays = 3;
  const recovered = { transitions: 10, tasks: 4, emails: 2 };
  const suspended = { transitions: 26, tasks: 9, emails: 4 };
  const share = a.dunningRecoveredShare;
  list.push({
    label: 'A failed renewal (webhook → InvoiceDunning: notices, retries, suspension or recovery)',
    perMonth: a.dunningShare,
    apiRequests: 2,
    invocations: 3 + share * recovered.tasks + (1 - share) * suspended.tasks,
    units: { reads: 6 + 4 * retryDays, writes: 4 + 2 * retryDays, calls: 10 + 6 * retryDays },
    transitions: share * recovered.transitions + (1 - share) * suspended.transitions,
    events: 2,
    emails: share * recovered.emails + (1 - share) * suspended.emails,
    source: `derived from the ASL (${dunningTasks.size} task states, ${retryDays} retry days); units estimated; ${(a.dunningShare * 100).toFixed(0)} % of renewals, ${(share * 100).toFixed(0)} % recovered, assumed`,
  });
  return list;
}

export interface CostLine {
  readonly service: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

/** Per tenant-month usage and its cost, plus the fixed monthly costs shared by all tenants. */
export function costPerTenantMonth(results: BenchResults): { variable: CostLine[]; fixed: CostLine[] } {
  const acts = activities(results);
  const sum = (pick: (a: Activity) => number) => acts.reduce((total, a) => total + a.perMonth * pick(a), 0);
  const requests = sum((a) => a.apiRequests);
  const invocations = sum((a) => a.invocations);
  const reads = sum((a) => a.units.reads);
  const writes = sum((a) => a.units.writes);
  const transitions = sum((a) => a.transitions);
  const events = sum((a) => a.events);
  const emails = sum((a) => a.emails);
  const gbSeconds = invocations * ASSUMPTIONS.lambdaMemoryGb * (ASSUMPTIONS.lambdaAverageMs / 1000);
  const logGb = (invocations * ASSUMPTIONS.logBytesPerInvocation) / 1024 ** 3;
  const p = PRICES;
  const variable: CostLine[] = [
    { service: 'API Gateway HTTP API requests', quantity: requests, unit: 'requests', usd: (requests * p.apiGatewayPerMillionRequests) / 1e6 },
    { service: 'Lambda invocations', quantity: invocations, unit: 'invocations', usd: (invocations * p.lambdaPerMillionRequests) / 1e6 },
    { service: 'Lambda compute (arm64)', quantity: gbSeconds, unit: 'GB-seconds', usd: gbSeconds * p.lambdaArmPerGbSecond },
    { service: 'DynamoDB reads (on-demand)', quantity: reads, unit: 'read units', usd: (reads * p.dynamoPerMillionReadUnits) / 1e6 },
    { service: 'DynamoDB writes (on-demand)', quantity: writes, unit: 'write units', usd: (writes * p.dynamoPerMillionWriteUnits) / 1e6 },
    {
      service: 'DynamoDB storage',
      quantity: ASSUMPTIONS.storageKbPerTenancy / 1024 ** 2,
      unit: 'GB-months',
      usd: (ASSUMPTIONS.storageKbPerTenancy / 1024 ** 2) * p.dynamoStoragePerGbMonth,
    },
    { service: 'Step Functions state transitions', quantity: transitions, unit: 'transitions', usd: (transitions * p.stepFunctionsPerThousandTransitions) / 1000 },
    { service: 'EventBridge events', quantity: events, unit: 'events', usd: (events * p.eventBridgePerMillionEvents) / 1e6 },
    { service: 'SES emails', quantity: emails, unit: 'emails', usd: (emails * p.sesPerThousandEmails) / 1000 },
    { service: 'CloudWatch Logs ingestion', quantity: logGb, unit: 'GB', usd: logGb * p.cloudWatchLogsPerGbIngested },
  ];
  const recon = ASSUMPTIONS.reconciliationRunsPerMonth;
  const fixed: CostLine[] = [
    { service: 'Secrets Manager secrets', quantity: ASSUMPTIONS.secrets, unit: 'secrets', usd: ASSUMPTIONS.secrets * p.secretsManagerPerSecretMonth },
    { service: 'CloudWatch alarms', quantity: ASSUMPTIONS.alarms, unit: 'alarms', usd: ASSUMPTIONS.alarms * p.cloudWatchAlarmPerMonth },
    {
      service: 'Daily barrier reconciliation (schedule + Lambda)',
      quantity: recon,
      unit: 'runs',
      usd: (recon * p.lambdaPerMillionRequests) / 1e6 + recon * 30 * ASSUMPTIONS.lambdaMemoryGb * p.lambdaArmPerGbSecond,
    },
  ];
  return { variable, fixed };
}

const usd = (value: number, digits = 4) => `$${value.toFixed(digits)}`;
const quantity = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3));

export const TENANT_COUNTS = [1_000, 10_000, 100_000] as const;
export const TARGET_USD_PER_TENANT_MONTH_AT_1000 = 0.01;

export function renderCost(results: BenchResults): string {
  const { variable, fixed } = costPerTenantMonth(results);
  const variableUsd = variable.reduce((total, line) => total + line.usd, 0);
  const fixedUsd = fixed.reduce((total, line) => total + line.usd, 0);
  const perTenant = (tenants: number) => variableUsd + fixedUsd / tenants;
  const atTarget = perTenant(1_000);
  const acts = activities(results);
  const date = results.machine.date.toISOString().slice(0, 10);
  return [
    '# What the platform costs to run',
    '',
    `Written by \`npm run bench\` on ${date} from what that run measured, times AWS list prices for ${PRICES.region}, before free tiers. Stripe's fees (a share of every payment) are excluded; so are the web site's S3 and CloudFront traffic and data transfer, which depend on visitors rather than tenants.`,
    '',
    `**Per tenant-month: ${usd(atTarget)} at 1,000 tenants** (target ≤ ${usd(TARGET_USD_PER_TENANT_MONTH_AT_1000, 2)}: **${atTarget <= TARGET_USD_PER_TENANT_MONTH_AT_1000 ? 'pass' : 'FAIL'}**).`,
    '',
    '| tenants | usage cost a month | fixed a month | total a month | per tenant-month |',
    '|---:|---:|---:|---:|---:|',
    ...TENANT_COUNTS.map(
      (n) => `| ${n.toLocaleString('en-GB')} | ${usd(variableUsd * n, 2)} | ${usd(fixedUsd, 2)} | ${usd(variableUsd * n + fixedUsd, 2)} | ${usd(perTenant(n))} |`,
    ),
    '',
    '## Usage per tenant-month',
    '',
    '| service | quantity | unit | cost |',
    '|---|---:|---|---:|',
    ...variable.map((line) => `| ${line.service} | ${quantity(line.quantity)} | ${line.unit} | ${usd(line.usd, 6)} |`),
    `| **total** | | | **${usd(variableUsd, 6)}** |`,
    '',
    '## Fixed a month, whatever the number of tenants',
    '',
    '| service | quantity | unit | cost |',
    '|---|---:|---|---:|',
    ...fixed.map((line) => `| ${line.service} | ${line.quantity} | ${line.unit} | ${usd(line.usd, 2)} |`),
    '',
    '## Where the usage comes from',
    '',
    'Each activity once, and how often it happens per tenant-month. DynamoDB units come from the calls the bench counted for the route (and for the workflows and consumers it set off), at 1 read unit per read and 1 write unit per written item (2 per transaction item).',
    '',
    '| activity | per tenant-month | API requests | Lambda invocations | DynamoDB read / write units | state transitions | events | emails | source |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...acts.map(
      (a) =>
        `| ${a.label} | ${quantity(a.perMonth)} | ${quantity(a.apiRequests)} | ${quantity(a.invocations)} | ${quantity(a.units.reads)} / ${quantity(a.units.writes)} | ${quantity(a.transitions)} | ${quantity(a.events)} | ${quantity(a.emails)} | ${a.source} |`,
    ),
    '',
    '## Measured and assumed',
    '',
    '- **Measured by this run:** DynamoDB calls by operation for every route and for the workflows and consumers a request sets off (a counting proxy in front of DynamoDB Local); state transitions and the task states entered for tenancy setup, cancellation and plate and vehicle changes (the twin\'s Step Functions engine, running the real ASL).',
    '- **Derived:** the dunning workflow\'s transitions, task invocations and emails follow its ASL (`state-machines/invoice-dunning.asl.json`) for a renewal recovered after one retry and for one suspended after every retry; the bench does not run dunning, and its DynamoDB units are estimated.',
    `- **Assumed:** ${Object.entries(ASSUMPTIONS)
      .map(([key, value]) => `\`${key}\` ${String(value)}`)
      .join(', ')}. Change them in \`test/bench/cost.ts\`.`,
    `- **Prices** (${PRICES.region}, list, no free tier): ${Object.entries(PRICES)
      .filter(([key]) => key !== 'region')
      .map(([key, value]) => `\`${key}\` ${String(value)}`)
      .join(', ')}.`,
    '',
    `Largest usage items per tenant-month: ${[...variable]
      .sort((x, y) => y.usd - x.usd)
      .slice(0, 3)
      .map((line) => `${line.service} (${usd(line.usd, 6)})`)
      .join(', ')}; the fixed costs come to ${usd(fixedUsd / 1_000, 4)} per tenant-month at 1,000 tenants.`,
    '',
  ].join('\n');
}
