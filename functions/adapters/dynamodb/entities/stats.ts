/**
 * Dashboard statistics (stats-store.ts). Keys: `keys.statsMonth`, `keys.statsTotals` (an
 * operator's statistics partition) and `keys.statsMarker` (keys.ts).
 *
 * Counts are stored as flat attributes (`taken_car`, `revenue`, `arrears_<invoiceId>`) so that one
 * ADD or SET creates or moves them without a map existing first; the schemas gather them into the
 * domain's shapes.
 */
import * as z from 'zod/mini';
import { VEHICLE_TYPES, type VehicleType } from '../../../domain/carparks';
import { bySinceThenInvoice, type CarparkTotals, type MonthCounts, type MonthStats, type RunningTotals, type StatsPart } from '../../../domain/dashboard';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

/** Attribute names of open arrears are the invoice id after this prefix (ids are letters, digits and underscores). */
export const ARREARS_PREFIX = 'arrears_';

const count = () => z.optional(z.number());
/** A count absent (never added to) is zero. */
const n = (value: number | undefined) => value ?? 0;

/** The non-zero counts of one kind (`taken_car`, `taken_van`…) by vehicle type. */
const byType = (counts: Readonly<Record<string, unknown>>, prefix: 'taken_' | 'freed_') => {
  const of = (t: VehicleType) => counts[`${prefix}${t}`];
  return Object.fromEntries(
    VEHICLE_TYPES.flatMap((t) => {
      const value = of(t);
      return typeof value === 'number' && value !== 0 ? [[t, value]] : [];
    }),
  ) as Partial<Record<VehicleType, number>>;
};

/** A month's counts, from its flat attributes. */
const monthFields = () => ({
  month: z.string(),
  ended: count(),
  revenue: count(),
  paymentsFailed: count(),
  paymentsRecovered: count(),
  ...(Object.fromEntries(VEHICLE_TYPES.flatMap((t) => [[`taken_${t}`, count()], [`freed_${t}`, count()]])) as Record<string, ReturnType<typeof count>>),
});
const monthCounts = (m: z.infer<z.ZodMiniObject<ReturnType<typeof monthFields>>>): MonthCounts => ({
  month: m.month,
  taken: byType(m, 'taken_'),
  freed: byType(m, 'freed_'),
  ended: n(m.ended),
  revenue: n(m.revenue),
  paymentsFailed: n(m.paymentsFailed),
  paymentsRecovered: n(m.paymentsRecovered),
});

const statsMonthSchema = () =>
  z.pipe(
    z.object({ carparkId: z.string(), ...monthFields() }),
    z.transform((m): MonthStats => ({ carparkId: m.carparkId, ...monthCounts(m) })),
  );
sameShape<SameShape<Built<typeof statsMonthSchema>, MonthStats>>();
/** One car park's bucket for one month. */
export const statsMonthEntity = defineEntity<MonthStats>(ENTITY.statsMonth, statsMonthSchema);

const operatorMonthSchema = () => z.pipe(z.object(monthFields()), z.transform(monthCounts));
sameShape<SameShape<Built<typeof operatorMonthSchema>, MonthCounts>>();
/** An operator's bucket for one month: all its car parks' together. */
export const statsOperatorMonthEntity = defineEntity<MonthCounts>(ENTITY.statsOperatorMonth, operatorMonthSchema);

/** Open arrears, one attribute each (`arrears_<invoiceId>`), gathered into a list to be checked like any field. */
const gatherArrears = (item: Readonly<Record<string, unknown>>) =>
  Object.entries(item)
    .filter(([name]) => name.startsWith(ARREARS_PREFIX))
    .map(([name, entry]) => ({ ...(typeof entry === 'object' ? entry : { entry }), invoiceId: name.slice(ARREARS_PREFIX.length) }));
const totalsFields = () => ({
  mrr: z.number(),
  arrears: z.array(z.object({ invoiceId: z.string(), since: z.string(), amount: z.number() })),
});
const runningTotals = (t: z.infer<z.ZodMiniObject<ReturnType<typeof totalsFields>>>): RunningTotals => ({
  mrr: t.mrr,
  arrears: [...t.arrears].sort(bySinceThenInvoice),
});

const statsTotalsSchema = () =>
  z.pipe(
    z.pipe(
      z.record(z.string(), z.unknown()),
      z.transform((item) => ({ carparkId: item.carparkId, mrr: item.mrr ?? 0, arrears: gatherArrears(item) })),
    ),
    z.pipe(
      z.object({ carparkId: z.string(), ...totalsFields() }),
      z.transform((t): CarparkTotals => ({ carparkId: t.carparkId, ...runningTotals(t) })),
    ),
  );
sameShape<SameShape<Built<typeof statsTotalsSchema>, CarparkTotals>>();
/** One car park's running totals. */
export const statsTotalsEntity = defineEntity<CarparkTotals>(ENTITY.statsTotals, statsTotalsSchema);

const operatorTotalsSchema = () =>
  z.pipe(
    z.pipe(
      z.record(z.string(), z.unknown()),
      z.transform((item) => ({ mrr: item.mrr ?? 0, arrears: gatherArrears(item) })),
    ),
    z.pipe(z.object(totalsFields()), z.transform(runningTotals)),
  );
sameShape<SameShape<Built<typeof operatorTotalsSchema>, RunningTotals>>();
/** An operator's running totals: all its car parks' together, an invoice's arrears once with its car parks' parts added. */
export const statsOperatorTotalsEntity = defineEntity<RunningTotals>(ENTITY.statsOperatorTotals, operatorTotalsSchema);

/** What the marker of a failed invoice keeps, for its settlement: the month it failed and where it counted. */
export interface FailedPaymentMarker {
  readonly month: string;
  readonly since: string;
  readonly parts: readonly StatsPart[];
}

const failedPaymentMarkerSchema = () =>
  z.object({
    month: z.string(),
    since: z.string(),
    parts: z.readonly(z.array(z.object({ operatorId: z.string(), carparkId: z.string(), amount: z.number() }))),
  });
sameShape<SameShape<Built<typeof failedPaymentMarkerSchema>, FailedPaymentMarker>>();
/** The `failed` marker of an invoice (the `paid` and `settled` markers are only ever tested for existence). */
export const failedPaymentMarkerEntity = defineEntity<FailedPaymentMarker>(ENTITY.statsMarker, failedPaymentMarkerSchema);
