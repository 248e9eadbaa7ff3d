/**
 * The operator's dashboard: occupancy now and over the last 12 months per vehicle type, monthly
 * recurring revenue, revenue collected per month, arrears, cancellations (churn) and the
 * failed-payment recovery rate — for one car park, or all of an operator's.
 *
 * Every figure is pre-aggregated: each car park has a bucket per month and a running total, and so
 * has the operator for all its car parks together (their sum), kept by the same transactions that
 * change what they count (a space taken or given back, see tenancy-repository.ts) or, for
 * payments, by one transaction per invoice guarded by a marker, so a redelivered event counts once.
 * A dashboard is one read: the buckets and totals come with the operator and its car parks; the
 * whole operator's reads its own, whatever its number of car parks. `npm run stats` recounts
 * everything from the tenancies and their timelines and compares (`--rebuild` writes the recount).
 */
import type { Carpark, VehicleType } from './carparks';
import type { Clock } from './clock';
import { VEHICLE_TYPES } from './carparks';
import { NotFoundError } from './errors';
import { canManageOperator, type Principal } from './identity';
import type { Operator } from './operators';

/** Counts for one calendar month (UTC): of one car park, or of all an operator's together. */
export interface MonthCounts {
  /** `YYYY-MM`. */
  readonly month: string;
  /** Spaces taken (a tenancy created, or moved to this type) per vehicle type. */
  readonly taken: Partial<Record<VehicleType, number>>;
  /** Spaces given back (a tenancy ended, failed, or moved off this type) per vehicle type. */
  readonly freed: Partial<Record<VehicleType, number>>;
  /** Tenancies that ended (cancelled, or their subscription ended): churn. Failed setups are not. */
  readonly ended: number;
  /** Collected: the paid invoice lines attributed to this car park, in minor units. */
  readonly revenue: number;
  /** Invoices that failed with a tenancy here. */
  readonly paymentsFailed: number;
  /** Of those (counted in the month they failed), how many were paid later. */
  readonly paymentsRecovered: number;
}

/** One car park's counts for one calendar month. */
export interface MonthStats extends MonthCounts {
  readonly carparkId: string;
}

/** Running totals: of one car park, or of all an operator's together. */
export interface RunningTotals {
  /** The monthly price of every tenancy holding a space here, in minor units. */
  readonly mrr: number;
  /** Unpaid invoices with a tenancy here: since when, and the monthly price of those tenancies. */
  readonly arrears: readonly { readonly invoiceId: string; readonly since: string; readonly amount: number }[];
}

/** One car park's running totals. */
export interface CarparkTotals extends RunningTotals {
  readonly carparkId: string;
}

/** Where a payment's figures go: a car park (of an operator) and its part of the amount. */
export interface StatsPart {
  readonly operatorId: string;
  readonly carparkId: string;
  readonly amount: number;
}

/** Payments in the statistics, each counted once per invoice however often it is reported. */
export interface PaymentStats {
  /** Collected, in the month `at`. */
  recordRevenue(invoiceId: string, at: string, parts: readonly StatsPart[]): Promise<void>;
  /** Failed in the month `at`, and open as arrears since `since` until settled. */
  recordPaymentFailed(invoiceId: string, at: string, since: string, parts: readonly StatsPart[]): Promise<void>;
  /** No longer open; recovered (in the month it failed) when `paid`. Nothing for an invoice that never failed. */
  recordSettled(invoiceId: string, paid: boolean): Promise<void>;
}

/** An operator, its car parks, and their buckets and running totals. */
export interface OperatorFigures {
  readonly operator: Operator;
  readonly carparks: readonly Carpark[];
  readonly months: readonly MonthStats[];
  readonly totals: readonly CarparkTotals[];
}

/** An operator, its car parks, and the buckets and running totals of all of them together. */
export interface OperatorOverall {
  readonly operator: Operator;
  readonly carparks: readonly Carpark[];
  readonly months: readonly MonthCounts[];
  /** Undefined until anything was counted. */
  readonly totals: RunningTotals | undefined;
}

export interface StatsReader {
  /** The operator with its car parks, their buckets from `fromMonth` on and their totals (two queries at once); undefined: no such operator. */
  operatorStats(operatorId: string, fromMonth: string): Promise<OperatorFigures | undefined>;
  /** The operator with its car parks, its own buckets from `fromMonth` on and its totals (one query); undefined: no such operator. */
  operatorOverall(operatorId: string, fromMonth: string): Promise<OperatorOverall | undefined>;
}

export interface DashboardDeps {
  readonly stats: StatsReader;
  readonly clock: Clock;
}

export const DASHBOARD_MONTHS = 12;

export interface DashboardMonth {
  readonly month: string;
  /** Spaces held at the end of the month (now, for the current month) per vehicle type. */
  readonly occupied: Record<VehicleType, number>;
  readonly revenue: number;
  readonly ended: number;
  readonly paymentsFailed: number;
  readonly paymentsRecovered: number;
}

export interface Dashboard {
  readonly operatorId: string;
  /** Absent for the whole operator. */
  readonly carparkId?: string;
  readonly currency: string;
  readonly carparks: readonly { readonly carparkId: string; readonly name: string }[];
  readonly now: {
    readonly occupied: Record<VehicleType, number>;
    readonly capacity: Record<VehicleType, number>;
    readonly mrr: number;
    readonly arrears: { readonly count: number; readonly amount: number; readonly oldestSince: string | null };
    /** Of the payments that failed in the last 12 months, the share paid since (null: none failed). */
    readonly recoveryRate: number | null;
  };
  /** Oldest first, ending with the current month. */
  readonly months: readonly DashboardMonth[];
}

/** Open arrears in a stable order: oldest first, then by invoice. */
export const bySinceThenInvoice = (a: { since: string; invoiceId: string }, b: { since: string; invoiceId: string }) =>
  a.since.localeCompare(b.since) || a.invoiceId.localeCompare(b.invoiceId);

/** `YYYY-MM` of an ISO time (UTC). */
export const monthOf = (iso: string): string => iso.slice(0, 7);

/** The `count` months ending with `now`'s, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

const perType = (value: (type: VehicleType) => number): Record<VehicleType, number> =>
  Object.fromEntries(VEHICLE_TYPES.map((t) => [t, value(t)])) as Record<VehicleType, number>;

/**
 * The figures from the buckets. Occupancy is of tenancies: a car park's `occupied` less the spaces
 * open waitlist offers hold (`offered`), since the buckets count what tenancies take and give back.
 * At the end of a past month it is today's less the spaces taken, plus those given back, after it.
 */
export function summarise(
  carparks: readonly Carpark[],
  months: readonly MonthCounts[],
  totals: readonly RunningTotals[],
  window: readonly string[],
): Pick<Dashboard, 'now' | 'months'> {
  const occupiedNow = perType((t) => carparks.reduce((n, c) => n + Math.max(0, (c.occupied?.[t] ?? 0) - (c.offered?.[t] ?? 0)), 0));
  const capacity = perType((t) => carparks.reduce((n, c) => n + (c.capacity[t] ?? 0), 0));
  const byMonth = new Map<string, MonthCounts[]>();
  for (const m of months) byMonth.set(m.month, [...(byMonth.get(m.month) ?? []), m]);
  const sum = (month: string, pick: (m: MonthCounts) => number) => (byMonth.get(month) ?? []).reduce((n, m) => n + pick(m), 0);
  // Net spaces taken in each month after `window[i]`, walking back from now.
  const later = [...months].filter((m) => m.month > window[window.length - 1]!);
  let occupied = perType((t) => occupiedNow[t] - later.reduce((n, m) => n + (m.taken[t] ?? 0) - (m.freed[t] ?? 0), 0));
  const result: DashboardMonth[] = [];
  for (let i = window.length - 1; i >= 0; i--) {
    const month = window[i]!;
    result.unshift({
      month,
      occupied,
      revenue: sum(month, (m) => m.revenue),
      ended: sum(month, (m) => m.ended),
      paymentsFailed: sum(month, (m) => m.paymentsFailed),
      paymentsRecovered: sum(month, (m) => m.paymentsRecovered),
    });
    const current = occupied;
    occupied = perType((t) => current[t] - sum(month, (m) => (m.taken[t] ?? 0) - (m.freed[t] ?? 0)));
  }
  // An invoice unpaid with tenancies at several car parks is one invoice in arrears.
  const open = new Map<string, { since: string; amount: number }>();
  for (const total of totals) {
    for (const a of total.arrears) {
      const seen = open.get(a.invoiceId);
      open.set(a.invoiceId, { since: a.since, amount: (seen?.amount ?? 0) + a.amount });
    }
  }
  const failed = result.reduce((n, m) => n + m.paymentsFailed, 0);
  const recovered = result.reduce((n, m) => n + m.paymentsRecovered, 0);
  return {
    now: {
      occupied: occupiedNow,
      capacity,
      mrr: totals.reduce((n, t) => n + t.mrr, 0),
      arrears: {
        count: open.size,
        amount: [...open.values()].reduce((n, a) => n + a.amount, 0),
        oldestSince: [...open.values()].map((a) => a.since).sort()[0] ?? null,
      },
      recoveryRate: failed === 0 ? null : recovered / failed,
    },
    months: result,
  };
}

/**
 * An operator's own car parks (admins: any operator's) from the operator's own buckets and totals;
 * `carparkId` narrows it to one car park, from that car park's.
 */
export async function operatorDashboard(deps: DashboardDeps, caller: Principal, operatorId: string, carparkId?: string): Promise<Dashboard> {
  if (!canManageOperator(caller, operatorId)) throw new NotFoundError('Operator');
  const window = lastMonths(deps.clock.now(), DASHBOARD_MONTHS);
  const describe = (carparks: readonly Carpark[]) => ({
    operatorId,
    ...(carparkId ? { carparkId } : {}),
    currency: carparks[0]?.currency ?? 'gbp',
    carparks: carparks.map((c) => ({ carparkId: c.carparkId, name: c.name })),
  });
  if (!carparkId) {
    const overall = await deps.stats.operatorOverall(operatorId, window[0]!);
    if (!overall) throw new NotFoundError('Operator');
    return { ...describe(overall.carparks), ...summarise(overall.carparks, overall.months, overall.totals ? [overall.totals] : [], window) };
  }
  const found = await deps.stats.operatorStats(operatorId, window[0]!);
  if (!found) throw new NotFoundError('Operator');
  const carparks = found.carparks.filter((c) => c.carparkId === carparkId);
  if (carparks.length === 0) throw new NotFoundError('Car park');
  const mine = (c: { carparkId: string }) => c.carparkId === carparkId;
  return { ...describe(carparks), ...summarise(carparks, found.months.filter(mine), found.totals.filter(mine), window) };
}
