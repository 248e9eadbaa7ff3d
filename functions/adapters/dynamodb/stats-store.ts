/**
 * Dashboard statistics (see domain/dashboard.ts). All of an operator's car parks share one
 * partition: a bucket per car park per month and a running total per car park, and the operator's
 * own bucket per month and running total, their sum, so that the whole operator's dashboard reads
 * a dozen items whatever its number of car parks. Each is also in the operator's gsi2 partition
 * beside its car parks, where a dashboard reads them in one query. Counts are flat attributes
 * (`taken_car`, `revenue`, `arrears_<invoiceId>`), so one ADD or SET creates or moves them without
 * the item or a map existing first.
 *
 * Spaces are counted by the tenancy transactions themselves (`spaceStats`); payments by one
 * transaction per invoice and fact, with a marker item put only if absent, so a redelivered
 * Stripe event or a retried step counts nothing twice. Every transaction that moves a car park's
 * counter moves its operator's by as much.
 */
import type { VehicleType } from '../../domain/carparks';
import { monthOf, type CarparkTotals, type MonthStats, type PaymentStats, type StatsPart, type StatsReader } from '../../domain/dashboard';
import type { Tenancy } from '../../domain/tenancies';
import { parseItem, type StoredItem } from './entities/item';
import { ARREARS_PREFIX, failedPaymentMarkerEntity, statsMonthEntity, statsOperatorMonthEntity, statsOperatorTotalsEntity, statsTotalsEntity } from './entities/stats';
import { carparkEntity, operatorEntity } from './entities/carparks';
import { ENTITY, INDEX, indexKeys, keys, OPERATOR_ITEMS_SORT } from './keys';
import { NOT_EXISTS, TableName, getItem, queryAll, transact, type TransactItem } from './table';

/** Most car parks an operator has (MAX_CARPARKS_PER_OPERATOR, not imported: it would bring the repositories into this bundle). */
const MAX_CARPARKS = 500;
/** A year of months and the current one, for every car park: an error past it. */
const MAX_CARPARK_MONTHS = 13 * MAX_CARPARKS;
/** Every car park and its totals, the operator and its own totals: an error past it. */
const MAX_CARPARKS_AND_TOTALS = 2 * MAX_CARPARKS + 2;
/** The operator's year of months, its car parks, itself and its totals: an error past it. */
const MAX_OVERALL_ITEMS = 12 + MAX_CARPARKS + 2;

export interface SpaceChange {
  readonly taken?: VehicleType;
  readonly freed?: VehicleType;
  /** The tenancy ended (churn); a failed setup gives its space back without ending. */
  readonly ended?: boolean;
  /** Change of the monthly recurring revenue, in minor units. */
  readonly mrr: number;
}

/** What a counter counts: one car park of an operator or, without a car park, all the operator's together. */
interface Counted {
  readonly operatorId: string;
  readonly carparkId?: string;
}

/** The key, index keys, type and fixed fields of the counter of `of` for `month` (its running total without one). */
function counter(of: Counted, month: string | undefined) {
  const { operatorId, carparkId } = of;
  if (carparkId === undefined) {
    return month === undefined
      ? { key: keys.statsOperatorTotals(operatorId), index: indexKeys.statsOperatorTotals(operatorId), type: ENTITY.statsOperatorTotals, fields: {} }
      : { key: keys.statsOperatorMonth(operatorId, month), index: indexKeys.statsOperatorMonth(operatorId, month), type: ENTITY.statsOperatorMonth, fields: { month } };
  }
  return month === undefined
    ? { key: keys.statsTotals(operatorId, carparkId), index: indexKeys.statsTotals(operatorId, carparkId), type: ENTITY.statsTotals, fields: { carparkId } }
    : { key: keys.statsMonth(operatorId, carparkId, month), index: indexKeys.statsMonth(operatorId, carparkId, month), type: ENTITY.statsMonth, fields: { carparkId, month } };
}

/**
 * An update of a month bucket or a running total that also sets what it always holds: its type,
 * car park (and month), and its keys in the operator's gsi2 partition, where the dashboard reads it.
 */
function statsUpdate(
  of: Counted,
  month: string | undefined,
  change: { readonly set?: string; readonly add?: string; readonly remove?: string; readonly names?: Record<string, string>; readonly values?: Record<string, unknown> },
): TransactItem {
  const item = counter(of, month);
  // Placeholders for every attribute set: `type` and `month` are reserved words.
  const constant = Object.entries({ type: item.type, ...item.index, ...item.fields });
  const set = [...constant.map((_, i) => `#c${i} = :c${i}`), ...(change.set ? [change.set] : [])];
  return {
    Update: {
      TableName: TableName(),
      Key: item.key,
      UpdateExpression: [`SET ${set.join(', ')}`, ...(change.add ? [`ADD ${change.add}`] : []), ...(change.remove ? [`REMOVE ${change.remove}`] : [])].join(' '),
      ExpressionAttributeNames: { ...Object.fromEntries(constant.map(([name], i) => [`#c${i}`, name])), ...change.names },
      ExpressionAttributeValues: { ...Object.fromEntries(constant.map(([, value], i) => [`:c${i}`, value])), ...change.values },
    },
  };
}

/** Month buckets and running totals of the tenancy's car park and of its operator, for the transaction that moves a space. */
export function spaceStats(t: Pick<Tenancy, 'operatorId' | 'carparkId'>, at: string, change: SpaceChange): TransactItem[] {
  const adds = [
    ...(change.taken ? [`taken_${change.taken} :one`] : []),
    ...(change.freed ? [`freed_${change.freed} :one`] : []),
    ...(change.ended ? ['ended :one'] : []),
  ];
  const counted: Counted[] = [{ operatorId: t.operatorId, carparkId: t.carparkId }, { operatorId: t.operatorId }];
  // A price change moves the MRR only: no month bucket to count in.
  const months = adds.length === 0 ? [] : counted.map((of) => statsUpdate(of, monthOf(at), { add: adds.join(', '), values: { ':one': 1 } }));
  return [...months, ...counted.map((of) => statsUpdate(of, undefined, { add: 'mrr :mrr', values: { ':mrr': change.mrr } }))];
}

const monthAdd = (of: Counted, month: string, attribute: 'revenue' | 'paymentsFailed' | 'paymentsRecovered', value: number): TransactItem =>
  statsUpdate(of, month, { add: '#attribute :value', names: { '#attribute': attribute }, values: { ':value': value } });

const arrearsName = (invoiceId: string) => ({ '#arrears': `${ARREARS_PREFIX}${invoiceId}` });

const marker = (what: 'paid' | 'failed' | 'settled', invoiceId: string, fields: Record<string, unknown>): TransactItem => ({
  Put: { TableName: TableName(), Item: { ...keys.statsMarker(what, invoiceId), type: ENTITY.statsMarker, ...fields }, ConditionExpression: NOT_EXISTS },
});

/** A stored month bucket, as the domain counts it. */
export const parseMonth = (item: StoredItem): MonthStats => parseItem(statsMonthEntity, item);

/** A stored running total, its open arrears oldest first. */
export const parseTotals = (item: StoredItem): CarparkTotals => parseItem(statsTotalsEntity, item);

/** Sums parts per car park: one update per item in a transaction. */
function perCarpark(parts: readonly StatsPart[]): StatsPart[] {
  const merged = new Map<string, StatsPart>();
  for (const p of parts) {
    const seen = merged.get(p.carparkId);
    merged.set(p.carparkId, { ...p, amount: (seen?.amount ?? 0) + p.amount });
  }
  return [...merged.values()];
}

/** Car parks' parts (one each) summed per operator: its amount, and how many of its car parks they are. */
function perOperator(parts: readonly StatsPart[]): { operatorId: string; amount: number; carparks: number }[] {
  const merged = new Map<string, { operatorId: string; amount: number; carparks: number }>();
  for (const p of parts) {
    const seen = merged.get(p.operatorId);
    merged.set(p.operatorId, { operatorId: p.operatorId, amount: (seen?.amount ?? 0) + p.amount, carparks: (seen?.carparks ?? 0) + 1 });
  }
  return [...merged.values()];
}

/** A marker already there: this fact was counted before. */
const countedBefore = (result: { ok: boolean; failed?: boolean[] }) => !result.ok && result.failed?.[0] === true;

const statsRange = (operatorId: string, from: string, to: string) => ({
  IndexName: INDEX.operatorItems.name,
  KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
  ExpressionAttributeNames: { '#pk': INDEX.operatorItems.partitionKey, '#sk': INDEX.operatorItems.sortKey },
  ExpressionAttributeValues: { ':pk': INDEX.operatorItems.partitionValue(operatorId), ':from': from, ':to': to },
});

/**
 * A car park's dashboard's two queries: every car park's months from `fromMonth` (up to the last
 * `bucket#`, so the operator's own months that sort after them are never read), then the car
 * parks, the operator, its own totals and every car park's totals.
 */
const carparkMonthsQuery = (operatorId: string, fromMonth: string) =>
  statsRange(operatorId, `${OPERATOR_ITEMS_SORT.month}${fromMonth}`, `${OPERATOR_ITEMS_SORT.month}\uffff`);
const carparksAndTotalsQuery = (operatorId: string) =>
  statsRange(operatorId, OPERATOR_ITEMS_SORT.carpark, `${OPERATOR_ITEMS_SORT.totals}\uffff`);

/** The whole operator's dashboard's query (also run by the bench, to ask DynamoDB what it costs): its months from `fromMonth`, its car parks, itself, its totals. */
export const operatorOverallQuery = (operatorId: string, fromMonth: string) =>
  statsRange(operatorId, `${OPERATOR_ITEMS_SORT.operatorMonth}${fromMonth}`, OPERATOR_ITEMS_SORT.operatorTotals);

const ofType = (items: readonly StoredItem[], type: string) => items.filter((i) => i.type === type);

export const statsStore: PaymentStats & StatsReader = {
  /**
   * 2 queries at once in the operator's gsi2 partition: its car parks' months from the first
   * wanted, and its car parks, itself and the totals (see `indexKeys.operatorItems`).
   */
  async operatorStats(operatorId, fromMonth) {
    const what = `statistics of operator ${operatorId}`;
    const [months, rest] = await Promise.all([
      queryAll(carparkMonthsQuery(operatorId, fromMonth), { what, maxItems: MAX_CARPARK_MONTHS, maxPages: 20 }),
      queryAll(carparksAndTotalsQuery(operatorId), { what, maxItems: MAX_CARPARKS_AND_TOTALS, maxPages: 5 }),
    ]);
    const items = [...months, ...rest];
    const operator = items.find((i) => i.type === ENTITY.operator);
    if (!operator) return undefined;
    return {
      operator: parseItem(operatorEntity, operator),
      carparks: ofType(items, ENTITY.carpark).map((i) => parseItem(carparkEntity, i)),
      months: ofType(items, ENTITY.statsMonth).map(parseMonth),
      totals: ofType(items, ENTITY.statsTotals).map(parseTotals),
    };
  },

  /** 1 query: the operator's own months from the first wanted, its car parks, itself and its own totals. */
  async operatorOverall(operatorId, fromMonth) {
    const items = await queryAll(operatorOverallQuery(operatorId, fromMonth), { what: `statistics of operator ${operatorId}`, maxItems: MAX_OVERALL_ITEMS, maxPages: 5 });
    const operator = items.find((i) => i.type === ENTITY.operator);
    if (!operator) return undefined;
    const totals = items.find((i) => i.type === ENTITY.statsOperatorTotals);
    return {
      operator: parseItem(operatorEntity, operator),
      carparks: ofType(items, ENTITY.carpark).map((i) => parseItem(carparkEntity, i)),
      months: ofType(items, ENTITY.statsOperatorMonth).map((i) => parseItem(statsOperatorMonthEntity, i)),
      totals: totals && parseItem(statsOperatorTotalsEntity, totals),
    };
  },

  /** Revenue of a paid invoice, per car park and operator, in the month first recorded; once per invoice. */
  async recordRevenue(invoiceId, at, parts) {
    const merged = perCarpark(parts);
    if (merged.length === 0) return;
    const month = monthOf(at);
    const result = await transact([
      marker('paid', invoiceId, { at }),
      ...merged.map((p) => monthAdd(p, month, 'revenue', p.amount)),
      ...perOperator(merged).map((o) => monthAdd({ operatorId: o.operatorId }, month, 'revenue', o.amount)),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`revenue of ${invoiceId} not counted`);
  },

  /**
   * A failed invoice: counted in the month it failed at each car park (its operator counts it once
   * per car park, as their sum), and open as arrears at each car park and, with their parts added,
   * at its operator; once per invoice.
   */
  async recordPaymentFailed(invoiceId, at, since, parts) {
    const merged = perCarpark(parts);
    if (merged.length === 0) return;
    const month = monthOf(at);
    const openArrears = (of: Counted, amount: number) => statsUpdate(of, undefined, { set: '#arrears = :entry', names: arrearsName(invoiceId), values: { ':entry': { since, amount } } });
    const result = await transact([
      marker('failed', invoiceId, { month, since, parts: merged }),
      ...merged.flatMap((p): TransactItem[] => [monthAdd(p, month, 'paymentsFailed', 1), openArrears(p, p.amount)]),
      ...perOperator(merged).flatMap((o): TransactItem[] => [monthAdd({ operatorId: o.operatorId }, month, 'paymentsFailed', o.carparks), openArrears({ operatorId: o.operatorId }, o.amount)]),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`failed payment ${invoiceId} not counted`);
  },

  /**
   * A failed invoice settled: no longer open at its car parks and operators, and recovered (in the
   * month it failed) when it was paid rather than voided or written off. Nothing for an invoice
   * that never failed; once per invoice.
   */
  async recordSettled(invoiceId, paid) {
    const failed = await getItem(failedPaymentMarkerEntity, keys.statsMarker('failed', invoiceId), true);
    if (!failed) return;
    const settle = (of: Counted, recovered: number): TransactItem[] => [
      statsUpdate(of, undefined, { remove: '#arrears', names: arrearsName(invoiceId) }),
      ...(paid ? [monthAdd(of, failed.month, 'paymentsRecovered', recovered)] : []),
    ];
    const result = await transact([
      marker('settled', invoiceId, { paid }),
      ...failed.parts.flatMap((p) => settle(p, 1)),
      ...perOperator(failed.parts).flatMap((o) => settle({ operatorId: o.operatorId }, o.carparks)),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`settlement of ${invoiceId} not counted`);
  },
};
