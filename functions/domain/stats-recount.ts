/**
 * The dashboard's statistics recounted from scratch: from the tenancies and their timelines
 * (spaces, churn, revenue, failed payments) and the per-invoice payment records (whether a failed
 * invoice was settled, and paid); the operator's own figures are its car parks' added up.
 * `npm run stats` compares the recount with the running counters and, with `--rebuild`, replaces
 * them by it.
 *
 * Tenancies older than their timeline have no `rented` or `ended` event: they are counted from
 * their own dates (taken when created, given back at their end or last change).
 */
import { bySinceThenInvoice, monthOf, type CarparkTotals, type MonthCounts, type MonthStats, type RunningTotals } from './dashboard';
import { LIVE_STATUSES, type Tenancy } from './tenancies';
import type { TimelineEvent } from './tenancy-timeline';
import type { VehicleType } from './carparks';

export interface FailedPaymentRecord {
  readonly invoiceId: string;
  readonly month: string;
  readonly since: string;
  readonly parts: readonly { readonly operatorId: string; readonly carparkId: string; readonly amount: number }[];
}

/** An operator's own figures: all its car parks' together. */
export interface OverallStats {
  readonly months: MonthCounts[];
  /** Undefined: nothing counted. */
  readonly totals: RunningTotals | undefined;
}

export interface OperatorStats {
  readonly months: MonthStats[];
  readonly totals: CarparkTotals[];
  readonly overall: OverallStats;
}

type Mutable<T extends MonthCounts> = { -readonly [K in keyof T]: T[K] extends object ? Partial<Record<VehicleType, number>> : T[K] };
type MutableMonth = Mutable<MonthStats>;

export function recountStats(input: {
  tenancies: readonly Tenancy[];
  events: readonly TimelineEvent[];
  failed: readonly FailedPaymentRecord[];
  settled: ReadonlyMap<string, { paid: boolean }>;
}): Map<string, OperatorStats> {
  const byId = new Map(input.tenancies.map((t) => [t.tenancyId, t]));
  const months = new Map<string, { operatorId: string; month: MutableMonth }>();
  const bucket = (t: Pick<Tenancy, 'operatorId' | 'carparkId'>, at: string) => {
    const key = `${t.operatorId}|${t.carparkId}|${monthOf(at)}`;
    let found = months.get(key);
    if (!found) {
      found = {
        operatorId: t.operatorId,
        month: { carparkId: t.carparkId, month: monthOf(at), taken: {}, freed: {}, ended: 0, revenue: 0, paymentsFailed: 0, paymentsRecovered: 0 },
      };
      months.set(key, found);
    }
    return found.month;
  };
  const add = (counts: Partial<Record<VehicleType, number>>, type: VehicleType) => (counts[type] = (counts[type] ?? 0) + 1);

  const eventsOf = new Map<string, TimelineEvent[]>();
  for (const e of input.events) eventsOf.set(e.tenancyId, [...(eventsOf.get(e.tenancyId) ?? []), e]);
  const failedPairs = new Set<string>();

  for (const t of input.tenancies) {
    const events = eventsOf.get(t.tenancyId) ?? [];
    const has = (kind: TimelineEvent['kind']) => events.some((e) => e.kind === kind);
    if (!has('rented')) add(bucket(t, t.createdAt).taken, t.vehicleType);
    const endedWithoutEvent = (t.status === 'ended' || t.status === 'failed') && !has('ended') && !has('setup_failed') && !events.some(withdrawn);
    if (endedWithoutEvent) {
      const m = bucket(t, t.endsAt ?? t.updatedAt);
      add(m.freed, t.vehicleType);
      if (t.status === 'ended') m.ended += 1;
    }
  }

  for (const e of input.events) {
    const t = byId.get(e.tenancyId);
    if (!t) continue;
    const m = () => bucket(t, e.at);
    const type = (key: string) => e.detail?.[key] as VehicleType;
    switch (e.kind) {
      case 'rented':
        add(m().taken, type('vehicleType'));
        break;
      case 'vehicle_change_requested':
      case 'vehicle_change_reverted':
        add(m().taken, type('to'));
        add(m().freed, type('from'));
        break;
      case 'ended':
        add(m().freed, t.vehicleType);
        m().ended += 1;
        break;
      case 'setup_failed':
        add(m().freed, t.vehicleType);
        break;
      case 'cancelled':
        if (withdrawn(e)) {
          add(m().freed, t.vehicleType);
          m().ended += 1;
        }
        break;
      case 'invoice_paid':
        m().revenue += Number(e.detail?.amount ?? 0);
        break;
      case 'payment_failed': {
        // Once per invoice per car park, however many of the tenant's tenancies are there.
        const pair = `${String(e.detail?.invoiceId)}|${t.carparkId}`;
        if (failedPairs.has(pair)) break;
        failedPairs.add(pair);
        m().paymentsFailed += 1;
        if (input.settled.get(String(e.detail?.invoiceId))?.paid) m().paymentsRecovered += 1;
        break;
      }
      default:
        break;
    }
  }

  const result = new Map<string, { months: MonthStats[]; totals: CarparkTotals[] }>();
  const of = (operatorId: string) => {
    let stats = result.get(operatorId);
    if (!stats) result.set(operatorId, (stats = { months: [], totals: [] }));
    return stats;
  };
  for (const { operatorId, month } of months.values()) of(operatorId).months.push(month);

  const totals = new Map<string, { operatorId: string; carparkId: string; mrr: number; arrears: { invoiceId: string; since: string; amount: number }[] }>();
  const total = (operatorId: string, carparkId: string) => {
    const key = `${operatorId}|${carparkId}`;
    let found = totals.get(key);
    if (!found) totals.set(key, (found = { operatorId, carparkId, mrr: 0, arrears: [] }));
    return found;
  };
  for (const t of input.tenancies) {
    const entry = total(t.operatorId, t.carparkId);
    if (LIVE_STATUSES.includes(t.status)) entry.mrr += t.monthlyAmount;
  }
  for (const f of input.failed) {
    if (input.settled.has(f.invoiceId)) continue;
    for (const p of f.parts) total(p.operatorId, p.carparkId).arrears.push({ invoiceId: f.invoiceId, since: f.since, amount: p.amount });
  }
  for (const { operatorId, ...entry } of totals.values()) {
    of(operatorId).totals.push({ ...entry, arrears: entry.arrears.sort(bySinceThenInvoice) });
  }
  return new Map([...result].map(([operatorId, stats]) => [operatorId, { ...stats, overall: addedUp(stats) }]));
}

/** An operator's figures from its car parks': each month's counts summed, and their totals, an invoice's arrears once with its parts added. */
export function addedUp(stats: { readonly months: readonly MonthStats[]; readonly totals: readonly CarparkTotals[] }): OverallStats {
  const months = new Map<string, Mutable<MonthCounts>>();
  const addTo = (into: Partial<Record<VehicleType, number>>, from: Partial<Record<VehicleType, number>>) => {
    for (const [type, n] of Object.entries(from) as [VehicleType, number][]) into[type] = (into[type] ?? 0) + n;
  };
  for (const m of stats.months) {
    let sum = months.get(m.month);
    if (!sum) months.set(m.month, (sum = { month: m.month, taken: {}, freed: {}, ended: 0, revenue: 0, paymentsFailed: 0, paymentsRecovered: 0 }));
    addTo(sum.taken, m.taken);
    addTo(sum.freed, m.freed);
    sum.ended += m.ended;
    sum.revenue += m.revenue;
    sum.paymentsFailed += m.paymentsFailed;
    sum.paymentsRecovered += m.paymentsRecovered;
  }
  const arrears = new Map<string, { invoiceId: string; since: string; amount: number }>();
  for (const a of stats.totals.flatMap((t) => t.arrears)) {
    arrears.set(a.invoiceId, { ...a, amount: (arrears.get(a.invoiceId)?.amount ?? 0) + a.amount });
  }
  return {
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    totals: stats.totals.length === 0 ? undefined : { mrr: stats.totals.reduce((n, t) => n + t.mrr, 0), arrears: [...arrears.values()].sort(bySinceThenInvoice) },
  };
}

/** A scheduled tenancy cancelled before its start: it ends at once, giving its space back. */
const withdrawn = (e: TimelineEvent) => e.kind === 'cancelled' && e.detail?.before === 'start';

/** Where two readings of one operator's statistics differ, as lines a person can read (the operator's own figures as `operator`). */
export function differences(counted: OperatorStats, recounted: OperatorStats): string[] {
  const overall = (o: OverallStats): CarparkTotals[] => (o.totals ? [{ carparkId: 'operator', ...o.totals }] : []);
  return [
    ...monthDifferences(counted.months, recounted.months),
    ...totalsDifferences(counted.totals, recounted.totals),
    ...monthDifferences(
      counted.overall.months.map((m) => ({ ...m, carparkId: 'operator' })),
      recounted.overall.months.map((m) => ({ ...m, carparkId: 'operator' })),
    ),
    ...totalsDifferences(overall(counted.overall), overall(recounted.overall)),
  ];
}

function monthDifferences(counted: readonly MonthStats[], recounted: readonly MonthStats[]): string[] {
  const lines: string[] = [];
  const monthKey = (m: MonthStats) => `${m.carparkId} ${m.month}`;
  const flat = (m: MonthStats): Record<string, number> => {
    const out: Record<string, number> = { ended: m.ended, revenue: m.revenue, paymentsFailed: m.paymentsFailed, paymentsRecovered: m.paymentsRecovered };
    for (const [k, v] of Object.entries(m.taken)) out[`taken ${k}`] = v ?? 0;
    for (const [k, v] of Object.entries(m.freed)) out[`freed ${k}`] = v ?? 0;
    return out;
  };
  const a = new Map(counted.map((m) => [monthKey(m), flat(m)]));
  const b = new Map(recounted.map((m) => [monthKey(m), flat(m)]));
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key) ?? {};
    const y = b.get(key) ?? {};
    for (const field of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      if ((x[field] ?? 0) !== (y[field] ?? 0)) lines.push(`${key} ${field}: counted ${x[field] ?? 0}, recounted ${y[field] ?? 0}`);
    }
  }
  return lines;
}

function totalsDifferences(counted: readonly CarparkTotals[], recounted: readonly CarparkTotals[]): string[] {
  const lines: string[] = [];
  const ta = new Map(counted.map((t) => [t.carparkId, t]));
  const tb = new Map(recounted.map((t) => [t.carparkId, t]));
  for (const carparkId of [...new Set([...ta.keys(), ...tb.keys()])].sort()) {
    const x = ta.get(carparkId);
    const y = tb.get(carparkId);
    if ((x?.mrr ?? 0) !== (y?.mrr ?? 0)) lines.push(`${carparkId} mrr: counted ${x?.mrr ?? 0}, recounted ${y?.mrr ?? 0}`);
    const arrears = (t: CarparkTotals | undefined) => JSON.stringify(t?.arrears ?? []);
    if (arrears(x) !== arrears(y)) lines.push(`${carparkId} arrears: counted ${arrears(x)}, recounted ${arrears(y)}`);
  }
  return lines;
}
