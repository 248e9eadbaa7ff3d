/**
 * Dashboard statistics (see domain/dashboard.ts). All of an operator's car parks share one
 * partition: a bucket per car park per month and a running total per car park, each also in the
 * operator's gsi2 partition beside its car parks, where the dashboard reads them in one query.
 * Counts are flat attributes (`taken_car`, `revenue`, `arrears_<invoiceId>`), so one ADD or SET
 * creates or moves them without the item or a map existing first.
 *
 * Spaces are counted by the tenancy transactions themselves (`spaceStats`); payments by one
 * transaction per invoice and fact, with a marker item put only if absent, so a redelivered
 * Stripe event or a retried step counts nothing twice.
 */
import type { VehicleType } from '../../domain/carparks';
import { monthOf, type CarparkTotals, type MonthStats, type PaymentStats, type StatsPart, type StatsReader } from '../../domain/dashboard';
import type { Tenancy } from '../../domain/tenancies';
import { parseItem, type StoredItem } from './entities/item';
import { ARREARS_PREFIX, failedPaymentMarkerEntity, statsMonthEntity, statsTotalsEntity } from './entities/stats';
import { carparkEntity, operatorEntity } from './entities/carparks';
import { ENTITY, INDEX, indexKeys, keys, OPERATOR_ITEMS_SORT } from './keys';
import { NOT_EXISTS, TableName, getItem, queryAll, transact, type TransactItem } from './table';

/** A year of months, the car park and its totals for up to 500 car parks (MAX_CARPARKS_PER_OPERATOR), and the operator: an error past it. */
const MAX_STATS_ITEMS = 14 * 500 + 1;

export interface SpaceChange {
  readonly taken?: VehicleType;
  readonly freed?: VehicleType;
  /** The tenancy ended (churn); a failed setup gives its space back without ending. */
  readonly ended?: boolean;
  /** Change of the monthly recurring revenue, in minor units. */
  readonly mrr: number;
}

/**
 * An update of a month bucket or a running total that also sets what it always holds: its type,
 * car park (and month), and its keys in the operator's gsi2 partition, where the dashboard reads it.
 */
function statsUpdate(
  of: { readonly operatorId: string; readonly carparkId: string },
  month: string | undefined,
  change: { readonly set?: string; readonly add?: string; readonly remove?: string; readonly names?: Record<string, string>; readonly values?: Record<string, unknown> },
): TransactItem {
  const item =
    month === undefined
      ? { key: keys.statsTotals(of.operatorId, of.carparkId), index: indexKeys.statsTotals(of.operatorId, of.carparkId), type: ENTITY.statsTotals, fields: {} }
      : { key: keys.statsMonth(of.operatorId, of.carparkId, month), index: indexKeys.statsMonth(of.operatorId, of.carparkId, month), type: ENTITY.statsMonth, fields: { month } };
  // Placeholders for every attribute set: `type` and `month` are reserved words.
  const constant = Object.entries({ type: item.type, carparkId: of.carparkId, ...item.index, ...item.fields });
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

/** Month bucket and running total of the tenancy's car park, for the transaction that moves a space. */
export function spaceStats(t: Pick<Tenancy, 'operatorId' | 'carparkId'>, at: string, change: SpaceChange): TransactItem[] {
  const adds = [
    ...(change.taken ? [`taken_${change.taken} :one`] : []),
    ...(change.freed ? [`freed_${change.freed} :one`] : []),
    ...(change.ended ? ['ended :one'] : []),
  ];
  // A price change moves the MRR only: no month bucket to count in.
  const month = adds.length === 0 ? [] : [statsUpdate(t, monthOf(at), { add: adds.join(', '), values: { ':one': 1 } })];
  return [...month, statsUpdate(t, undefined, { add: 'mrr :mrr', values: { ':mrr': change.mrr } })];
}

const monthAdd = (part: StatsPart, month: string, attribute: 'revenue' | 'paymentsFailed' | 'paymentsRecovered', value: number): TransactItem =>
  statsUpdate(part, month, { add: '#attribute :value', names: { '#attribute': attribute }, values: { ':value': value } });

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

/** A marker already there: this fact was counted before. */
const countedBefore = (result: { ok: boolean; failed?: boolean[] }) => !result.ok && result.failed?.[0] === true;

/** The dashboard's query (also run by the bench, to ask DynamoDB what it costs). */
export const operatorStatsQuery = (operatorId: string, fromMonth: string) => ({
  IndexName: INDEX.operatorItems.name,
  KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
  ExpressionAttributeNames: { '#pk': INDEX.operatorItems.partitionKey, '#sk': INDEX.operatorItems.sortKey },
  ExpressionAttributeValues: {
    ':pk': INDEX.operatorItems.partitionValue(operatorId),
    ':from': `${OPERATOR_ITEMS_SORT.month}${fromMonth}`,
    ':to': `${OPERATOR_ITEMS_SORT.totals}\uffff`,
  },
});

export const statsStore: PaymentStats & StatsReader = {
  /**
   * 1 query: the operator's gsi2 partition from its first month wanted to its last total, which
   * holds those months, its car parks, itself and the totals (see `indexKeys.operatorItems`).
   */
  async operatorStats(operatorId, fromMonth) {
    const items = await queryAll(operatorStatsQuery(operatorId, fromMonth), { what: `statistics of operator ${operatorId}`, maxItems: MAX_STATS_ITEMS, maxPages: 20 });
    const operator = items.find((i) => i.type === ENTITY.operator);
    if (!operator) return undefined;
    return {
      operator: parseItem(operatorEntity, operator),
      carparks: items.filter((i) => i.type === ENTITY.carpark).map((i) => parseItem(carparkEntity, i)),
      months: items.filter((i) => i.type === ENTITY.statsMonth).map(parseMonth),
      totals: items.filter((i) => i.type === ENTITY.statsTotals).map(parseTotals),
    };
  },

  /** Revenue of a paid invoice, per car park, in the month first recorded; once per invoice. */
  async recordRevenue(invoiceId, at, parts) {
    const merged = perCarpark(parts);
    if (merged.length === 0) return;
    const result = await transact([marker('paid', invoiceId, { at }), ...merged.map((p) => monthAdd(p, monthOf(at), 'revenue', p.amount))]);
    if (!result.ok && !countedBefore(result)) throw new Error(`revenue of ${invoiceId} not counted`);
  },

  /** A failed invoice: counted in the month it failed, and open as arrears at each car park; once per invoice. */
  async recordPaymentFailed(invoiceId, at, since, parts) {
    const merged = perCarpark(parts);
    if (merged.length === 0) return;
    const month = monthOf(at);
    const result = await transact([
      marker('failed', invoiceId, { month, since, parts: merged }),
      ...merged.flatMap((p): TransactItem[] => [
        monthAdd(p, month, 'paymentsFailed', 1),
        statsUpdate(p, undefined, { set: '#arrears = :entry', names: { '#arrears': `${ARREARS_PREFIX}${invoiceId}` }, values: { ':entry': { since, amount: p.amount } } }),
      ]),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`failed payment ${invoiceId} not counted`);
  },

  /**
   * A failed invoice settled: no longer open at its car parks, and recovered (in the month it
   * failed) when it was paid rather than voided or written off. Nothing for an invoice that never
   * failed; once per invoice.
   */
  async recordSettled(invoiceId, paid) {
    const failed = await getItem(failedPaymentMarkerEntity, keys.statsMarker('failed', invoiceId), true);
    if (!failed) return;
    const result = await transact([
      marker('settled', invoiceId, { paid }),
      ...failed.parts.flatMap((p): TransactItem[] => [
        statsUpdate(p, undefined, { remove: '#arrears', names: { '#arrears': `${ARREARS_PREFIX}${invoiceId}` } }),
        ...(paid ? [monthAdd(p, failed.month, 'paymentsRecovered', 1)] : []),
      ]),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`settlement of ${invoiceId} not counted`);
  },
};
