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
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { VEHICLE_TYPES, type VehicleType } from '../../domain/carparks';
import { bySinceThenInvoice, monthOf, type CarparkTotals, type MonthStats, type PaymentStats, type StatsPart } from '../../domain/dashboard';
import type { Tenancy } from '../../domain/tenancies';
import { ENTITY, keys } from './keys';
import { NOT_EXISTS, TableName, db, queryAll, transact, type TransactItem } from './table';

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

/** Attribute names are the invoice id after a prefix: ids are letters, digits and underscores. */
const ARREARS_PREFIX = 'arrears_';

const count = () => z.optional(z.number());
const monthItem = () =>
  z.object({
    carparkId: z.string(),
    month: z.string(),
    ended: count(),
    revenue: count(),
    paymentsFailed: count(),
    paymentsRecovered: count(),
    ...Object.fromEntries(VEHICLE_TYPES.flatMap((t) => [[`taken_${t}`, count()], [`freed_${t}`, count()]])),
  });
const totalsItem = () => z.object({ carparkId: z.string(), mrr: count() });
const arrearsEntry = () => z.object({ since: z.string(), amount: z.number() });
const failedMarker = () => z.object({ month: z.string(), since: z.string(), parts: z.array(z.object({ operatorId: z.string(), carparkId: z.string(), amount: z.number() })) });

let schemas: { month: ReturnType<typeof monthItem>; totals: ReturnType<typeof totalsItem>; arrears: ReturnType<typeof arrearsEntry>; failed: ReturnType<typeof failedMarker> } | undefined;
const schema = () => (schemas ??= { month: monthItem(), totals: totalsItem(), arrears: arrearsEntry(), failed: failedMarker() });

export function parseMonth(item: Record<string, unknown>): MonthStats {
  const m = schema().month.parse(item) as Record<string, unknown> & { carparkId: string; month: string };
  const n = (key: string) => (typeof m[key] === 'number' ? (m[key] as number) : 0);
  const byType = (prefix: string) => Object.fromEntries(VEHICLE_TYPES.filter((t) => n(`${prefix}${t}`) !== 0).map((t) => [t, n(`${prefix}${t}`)]));
  return {
    carparkId: m.carparkId,
    month: m.month,
    taken: byType('taken_'),
    freed: byType('freed_'),
    ended: n('ended'),
    revenue: n('revenue'),
    paymentsFailed: n('paymentsFailed'),
    paymentsRecovered: n('paymentsRecovered'),
  };
}

export function parseTotals(item: Record<string, unknown>): CarparkTotals {
  const t = schema().totals.parse(item);
  const arrears = Object.entries(item)
    .filter(([k]) => k.startsWith(ARREARS_PREFIX))
    .map(([k, v]) => ({ invoiceId: k.slice(ARREARS_PREFIX.length), ...schema().arrears.parse(v) }))
    .sort(bySinceThenInvoice);
  return { carparkId: t.carparkId, mrr: t.mrr ?? 0, arrears };
}

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
    const { Item } = await db().send(new GetCommand({ TableName: TableName(), Key: keys.statsMarker('failed', invoiceId), ConsistentRead: true }));
    if (!Item) return;
    const failed = schema().failed.parse(Item);
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
