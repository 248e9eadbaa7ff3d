/**
 * The dashboard's statistics against a full recount: `npm run stats` reads the whole table (a
 * Scan: an operator's command, never a request path), recounts every operator's figures from the
 * tenancies, their timelines and the payment records, and prints where the running counters
 * differ (exit 1 if anywhere). `npm run stats -- --rebuild` replaces each operator's counters with
 * the recount (run it when no tenancies are changing, then check again), e.g. after a bug fix or
 * for tenancies from before the counters existed. `--index` gives counters written before they were
 * indexed beside their car parks (the check names them) their index keys, safe while in use.
 *
 * Reads the table named by TABLE_NAME with the usual AWS settings; for the offline twin:
 * `TABLE_NAME=carpark-tenancy-local AWS_ENDPOINT_URL_DYNAMODB=<the DynamoDB URL npm start prints>`.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { parseItem } from '../functions/adapters/dynamodb/entities/item';
import { tenancyEntity, tenancyEventEntity } from '../functions/adapters/dynamodb/entities/tenancies';
import { ENTITY, INDEX, indexKeys, keys } from '../functions/adapters/dynamodb/keys';
import { parseMonth, parseTotals } from '../functions/adapters/dynamodb/stats-store';
import { ARREARS_PREFIX, statsOperatorMonthEntity, statsOperatorTotalsEntity } from '../functions/adapters/dynamodb/entities/stats';
import { batchWrite, db, queryAll, TableName } from '../functions/adapters/dynamodb/table';
import type { MonthCounts, RunningTotals } from '../functions/domain/dashboard';
import { differences, recountStats, type FailedPaymentRecord, type OperatorStats } from '../functions/domain/stats-recount';
import type { Tenancy } from '../functions/domain/tenancies';
import type { TimelineEvent } from '../functions/domain/tenancy-timeline';
import { runWhenMain } from './command';
import { scanTable } from './table-scan';

const noStats = (): OperatorStats => ({ months: [], totals: [], overall: { months: [], totals: undefined } });

const failedRecord = z.object({
  pk: z.string(),
  month: z.string(),
  since: z.string(),
  parts: z.array(z.object({ operatorId: z.string(), carparkId: z.string(), amount: z.number() })),
});
const settledRecord = z.object({ pk: z.string(), paid: z.boolean() });
const STATS_PREFIX = keys.statsPartition('');

/** Every item the recount and the comparison need, in one pass over the table. */
export async function readTable() {
  const tenancies: Tenancy[] = [];
  const events: TimelineEvent[] = [];
  const failed: FailedPaymentRecord[] = [];
  const settled = new Map<string, { paid: boolean }>();
  const unindexed = new Map<string, number>();
  const counted = new Map<string, OperatorStats>();
  const of = (operatorId: string) => {
    let stats = counted.get(operatorId);
    if (!stats) counted.set(operatorId, (stats = noStats()));
    return stats;
  };
  const overallOf = (operatorId: string) => of(operatorId).overall as { months: MonthCounts[]; totals: RunningTotals | undefined };
  const markerId = (pk: string, what: string) => pk.slice(`${ENTITY.statsMarker}#${what}#`.length);
  for await (const item of scanTable()) {
    const pk = String(item.pk);
    if (item.type === ENTITY.tenancy) tenancies.push(parseItem(tenancyEntity, item));
    else if (item.type === ENTITY.tenancyEvent) events.push(parseItem(tenancyEventEntity, item));
    else if (item.type === ENTITY.statsMarker && pk.startsWith(`${ENTITY.statsMarker}#failed#`)) {
      const f = failedRecord.parse(item);
      failed.push({ invoiceId: markerId(pk, 'failed'), month: f.month, since: f.since, parts: f.parts });
    } else if (item.type === ENTITY.statsMarker && pk.startsWith(`${ENTITY.statsMarker}#settled#`)) {
      settled.set(markerId(pk, 'settled'), { paid: settledRecord.parse(item).paid });
    } else if (item.type === ENTITY.statsMonth || item.type === ENTITY.statsTotals) {
      const operatorId = pk.slice(STATS_PREFIX.length);
      if (item.type === ENTITY.statsMonth) of(operatorId).months.push(parseMonth(item));
      else of(operatorId).totals.push(parseTotals(item));
      // Written before counters were indexed beside their car parks: the dashboard cannot see it.
      if (item[INDEX.operatorItems.partitionKey] === undefined) unindexed.set(operatorId, (unindexed.get(operatorId) ?? 0) + 1);
    } else if (item.type === ENTITY.statsOperatorMonth) {
      overallOf(pk.slice(STATS_PREFIX.length)).months.push(parseItem(statsOperatorMonthEntity, item));
    } else if (item.type === ENTITY.statsOperatorTotals) {
      overallOf(pk.slice(STATS_PREFIX.length)).totals = parseItem(statsOperatorTotalsEntity, item);
    }
  }
  return { counted, unindexed, recounted: recountStats({ tenancies, events, failed, settled }) };
}

/** Operator id → the lines where its counters and the recount differ (only operators with any). */
export async function checkStats(): Promise<Map<string, string[]>> {
  const { counted, unindexed, recounted } = await readTable();
  const empty = noStats();
  const found = new Map<string, string[]>();
  for (const operatorId of new Set([...counted.keys(), ...recounted.keys()])) {
    const missing = unindexed.get(operatorId) ?? 0;
    const lines = [
      ...differences(counted.get(operatorId) ?? empty, recounted.get(operatorId) ?? empty),
      ...(missing > 0 ? [`${missing} counter item(s) without the operator's index keys, which the dashboard does not read: \`npm run stats -- --index\` adds them`] : []),
    ];
    if (lines.length > 0) found.set(operatorId, lines);
  }
  return found;
}

/** A month's counts as the flat attributes its bucket keeps. */
const monthAttributes = (m: MonthCounts) => ({
  month: m.month,
  ended: m.ended,
  revenue: m.revenue,
  paymentsFailed: m.paymentsFailed,
  paymentsRecovered: m.paymentsRecovered,
  ...Object.fromEntries(Object.entries(m.taken).map(([t, n]) => [`taken_${t}`, n])),
  ...Object.fromEntries(Object.entries(m.freed).map(([t, n]) => [`freed_${t}`, n])),
});
const totalsAttributes = (t: RunningTotals) => ({
  mrr: t.mrr,
  ...Object.fromEntries(t.arrears.map((a) => [`${ARREARS_PREFIX}${a.invoiceId}`, { since: a.since, amount: a.amount }])),
});

/** Every counter item of one operator's statistics, as recounted. */
function counterItems(operatorId: string, stats: OperatorStats): Record<string, unknown>[] {
  const { months, totals } = stats.overall;
  return [
    ...stats.months.map((m) => ({ ...keys.statsMonth(operatorId, m.carparkId, m.month), ...indexKeys.statsMonth(operatorId, m.carparkId, m.month), type: ENTITY.statsMonth, carparkId: m.carparkId, ...monthAttributes(m) })),
    ...stats.totals.map((t) => ({ ...keys.statsTotals(operatorId, t.carparkId), ...indexKeys.statsTotals(operatorId, t.carparkId), type: ENTITY.statsTotals, carparkId: t.carparkId, ...totalsAttributes(t) })),
    ...months.map((m) => ({ ...keys.statsOperatorMonth(operatorId, m.month), ...indexKeys.statsOperatorMonth(operatorId, m.month), type: ENTITY.statsOperatorMonth, ...monthAttributes(m) })),
    ...(totals ? [{ ...keys.statsOperatorTotals(operatorId), ...indexKeys.statsOperatorTotals(operatorId), type: ENTITY.statsOperatorTotals, ...totalsAttributes(totals) }] : []),
  ];
}

/** Replaces every operator's counters with the recount; returns how many operators it wrote. */
export async function rebuildStats(): Promise<number> {
  const { counted, recounted } = await readTable();
  for (const operatorId of new Set([...counted.keys(), ...recounted.keys()])) {
    // Every page of the partition: a large operator's is more than one.
    const existing = await queryAll(
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.statsPartition(operatorId) }, ProjectionExpression: 'pk, sk' },
      { what: `statistics of operator ${operatorId}`, maxItems: 1_000_000, maxPages: 10_000 },
    );
    await batchWrite(existing.map((Key) => ({ DeleteRequest: { Key } })));
    await batchWrite(counterItems(operatorId, recounted.get(operatorId) ?? noStats()).map((Item) => ({ PutRequest: { Item } })));
  }
  return new Set([...counted.keys(), ...recounted.keys()]).size;
}

/**
 * Gives counters written before the dashboard read them from gsi2 their index keys, in place: the
 * values every write of them now sets, and only where absent, so it is safe while the table is in
 * use (unlike --rebuild). Returns how many it indexed.
 */
export async function indexStats(): Promise<number> {
  let indexed = 0;
  const unindexedCounters = scanTable({
    FilterExpression: '(#type = :month OR #type = :totals) AND attribute_not_exists(#gsiPk)',
    ExpressionAttributeNames: { '#type': 'type', '#gsiPk': INDEX.operatorItems.partitionKey },
    ExpressionAttributeValues: { ':month': ENTITY.statsMonth, ':totals': ENTITY.statsTotals },
  });
  for await (const item of unindexedCounters) {
    const operatorId = String(item.pk).slice(STATS_PREFIX.length);
    const month = item.type === ENTITY.statsMonth ? parseMonth(item) : undefined;
    const index = month
      ? indexKeys.statsMonth(operatorId, month.carparkId, month.month)
      : indexKeys.statsTotals(operatorId, parseTotals(item).carparkId);
    const [[pkName, pkValue], [skName, skValue]] = Object.entries(index) as [[string, string], [string, string]];
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #gsiPk = :gsiPk, #gsiSk = :gsiSk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#gsiPk': pkName, '#gsiSk': skName },
        ExpressionAttributeValues: { ':gsiPk': pkValue, ':gsiSk': skValue },
      }),
    );
    indexed += 1;
  }
  return indexed;
}

async function main(args: string[]) {
  if (args.includes('--index')) console.log(`Indexed ${await indexStats()} counter item(s) beside their car parks.`);
  if (args.includes('--rebuild')) {
    const written = await rebuildStats();
    console.log(`Rebuilt the statistics of ${written} operator(s) from a full recount.`);
  }
  const found = await checkStats();
  if (found.size === 0) {
    console.log('The counters equal a full recount.');
    return 0;
  }
  for (const [operatorId, lines] of found) {
    console.log(`Operator ${operatorId}:`);
    for (const line of lines) console.log(`  ${line}`);
  }
  console.log(`The counters differ from a full recount for ${found.size} operator(s); \`npm run stats -- --rebuild\` replaces them.`);
  return 1;
}

runWhenMain(import.meta.url, main);
