/**
 * Dashboard statistics (see domain/dashboard.ts). All of an operator's car parks share one
 * partition: a bucket per car park per month and a running total per car park. Counts are flat
 * attributes (`taken_car`, `revenue`, `arrears_<invoiceId>`), so one ADD or SET creates or moves
 * them without the item or a map existing first.
 *
 * Spaces are counted by the tenancy transactions themselves (`spaceStats`); payments by one
 * transaction per invoice and fact, with a marker item put only if absent, so a redelivered
 * Stripe event or a retried step counts nothing twice.
 */
import type { VehicleType } from '../../domain/carparks';
import { monthOf, type CarparkTotals, type MonthStats, type PaymentStats, type StatsPart } from '../../domain/dashboard';
import type { Tenancy } from '../../domain/tenancies';
import { parseItem, type StoredItem } from './entities/item';
import { ARREARS_PREFIX, failedPaymentMarkerEntity, statsMonthEntity, statsTotalsEntity } from './entities/stats';
import { ENTITY, keys } from './keys';
import { NOT_EXISTS, TableName, getItem, queryAll, transact, type TransactItem } from './table';

/** A year of months and the totals of up to 500 car parks (MAX_CARPARKS_PER_OPERATOR): an error past it. */
const MAX_STATS_ITEMS = 13 * 500;

export interface SpaceChange {
  readonly taken?: VehicleType;
  readonly freed?: VehicleType;
  /** The tenancy ended (churn); a failed setup gives its space back without ending. */
  readonly ended?: boolean;
  /** Change of the monthly recurring revenue, in minor units. */
  readonly mrr: number;
}

/** Month bucket and running total of the tenancy's car park, for the transaction that moves a space. */
export function spaceStats(t: Pick<Tenancy, 'operatorId' | 'carparkId'>, at: string, change: SpaceChange): TransactItem[] {
  const adds = [
    ...(change.taken ? [`taken_${change.taken} :one`] : []),
    ...(change.freed ? [`freed_${change.freed} :one`] : []),
    ...(change.ended ? ['ended :one'] : []),
  ];
  // A price change moves the MRR only: no month bucket to count in.
  const month: TransactItem[] = adds.length === 0 ? [] : [
    {
      Update: {
        TableName: TableName(),
        Key: keys.statsMonth(t.operatorId, t.carparkId, monthOf(at)),
        UpdateExpression: `SET #type = :type, carparkId = :carpark, #month = :month ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
        ExpressionAttributeValues: { ':type': ENTITY.statsMonth, ':carpark': t.carparkId, ':month': monthOf(at), ':one': 1 },
      },
    },
  ];
  return [
    ...month,
    {
      Update: {
        TableName: TableName(),
        Key: keys.statsTotals(t.operatorId, t.carparkId),
        UpdateExpression: 'SET #type = :type, carparkId = :carpark ADD mrr :mrr',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': ENTITY.statsTotals, ':carpark': t.carparkId, ':mrr': change.mrr },
      },
    },
  ];
}

const monthAdd = (part: StatsPart, month: string, attribute: 'revenue' | 'paymentsFailed' | 'paymentsRecovered', value: number): TransactItem => ({
  Update: {
    TableName: TableName(),
    Key: keys.statsMonth(part.operatorId, part.carparkId, month),
    UpdateExpression: 'SET #type = :type, carparkId = :carpark, #month = :month ADD #attribute :value',
    ExpressionAttributeNames: { '#type': 'type', '#month': 'month', '#attribute': attribute },
    ExpressionAttributeValues: { ':type': ENTITY.statsMonth, ':carpark': part.carparkId, ':month': month, ':value': value },
  },
});

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

export const statsStore: PaymentStats & { operatorStats(operatorId: string, fromMonth: string): Promise<{ months: MonthStats[]; totals: CarparkTotals[] }> } = {
  /**
   * 1 query: `month#…` sorts before `totals#…`, so one range from the first month wanted to the
   * last total reads both (every page: a few hundred small items for a large operator).
   */
  async operatorStats(operatorId, fromMonth) {
    const items = await queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.statsPartition(operatorId), ':from': `month#${fromMonth}`, ':to': 'totals#\uffff' },
      },
      { what: `statistics of operator ${operatorId}`, maxItems: MAX_STATS_ITEMS, maxPages: 20 },
    );
    return {
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
        {
          Update: {
            TableName: TableName(),
            Key: keys.statsTotals(p.operatorId, p.carparkId),
            UpdateExpression: 'SET #type = :type, carparkId = :carpark, #arrears = :entry',
            ExpressionAttributeNames: { '#type': 'type', '#arrears': `${ARREARS_PREFIX}${invoiceId}` },
            ExpressionAttributeValues: { ':type': ENTITY.statsTotals, ':carpark': p.carparkId, ':entry': { since, amount: p.amount } },
          },
        },
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
        {
          Update: {
            TableName: TableName(),
            Key: keys.statsTotals(p.operatorId, p.carparkId),
            UpdateExpression: 'SET #type = :type, carparkId = :carpark REMOVE #arrears',
            ExpressionAttributeNames: { '#type': 'type', '#arrears': `${ARREARS_PREFIX}${invoiceId}` },
            ExpressionAttributeValues: { ':type': ENTITY.statsTotals, ':carpark': p.carparkId },
          },
        },
        ...(paid ? [monthAdd(p, failed.month, 'paymentsRecovered', 1)] : []),
      ]),
    ]);
    if (!result.ok && !countedBefore(result)) throw new Error(`settlement of ${invoiceId} not counted`);
  },
};
