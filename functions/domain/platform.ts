/**
 * The admin's view of the platform: the operators (by name, a page at a time) and the totals
 * across all of them. Admins only; everyone else is refused (403).
 *
 * The totals are summed from each operator's pre-aggregated statistics (dashboard.ts): two
 * single-partition queries per operator, eight operators at a time: fine for hundreds of
 * operators; thousands would want platform counters of their own (docs/dashboard.md). Figures
 * are kept apart per currency: pounds and euros are never added together.
 */
import type { Carpark, Currency, VehicleType } from './carparks';
import { VEHICLE_TYPES } from './carparks';
import type { Clock } from './clock';
import { mapLimited } from './concurrency';
import { DASHBOARD_MONTHS, lastMonths, summarise, type Dashboard, type StatsReader } from './dashboard';
import { ForbiddenError } from './errors';
import { isAdmin, type Principal } from './identity';
import type { Operator } from './operators';
import type { OperatorRepository, Page } from './ports';

export interface PlatformDeps {
  readonly operators: Pick<OperatorRepository, 'search'>;
  /** Per car park: operators' car parks may charge in different currencies. */
  readonly stats: Pick<StatsReader, 'operatorStats'>;
  readonly clock: Clock;
}

export async function listOperators(
  deps: Pick<PlatformDeps, 'operators'>,
  caller: Principal,
  query: { name?: string; limit: number; cursor?: string },
): Promise<Page<Operator>> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only admins can list operators.');
  return deps.operators.search(query);
}

/** One operator's standing in one currency: a row of the admin's table. */
export interface OperatorStanding {
  readonly operatorId: string;
  readonly name: string;
  readonly currency: Currency;
  readonly carparks: number;
  readonly occupied: number;
  readonly capacity: number;
  readonly mrr: number;
  readonly arrears: { readonly count: number; readonly amount: number };
  /** Collected over the 12 months shown. */
  readonly revenue: number;
}

export interface PlatformDashboard {
  readonly operators: number;
  readonly carparks: number;
  /** One summary per currency the platform's car parks charge in, as an operator's dashboard has. */
  readonly currencies: readonly ({ readonly currency: Currency; readonly carparks: number } & Pick<Dashboard, 'now' | 'months'>)[];
  /** Every operator, per currency, by monthly recurring revenue (highest first). */
  readonly byOperator: readonly OperatorStanding[];
}

const OPERATORS_PAGE = 100;
/** Operators read at once: bounded, so a large platform does not open hundreds of connections. */
const CONCURRENT_READS = 8;

const sumTypes = (counts: Record<VehicleType, number>) => VEHICLE_TYPES.reduce((n, t) => n + counts[t], 0);

export async function platformDashboard(deps: PlatformDeps, caller: Principal): Promise<PlatformDashboard> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only admins can see the platform’s totals.');
  const window = lastMonths(deps.clock.now(), DASHBOARD_MONTHS);
  const operators: Operator[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.operators.search({ limit: OPERATORS_PAGE, ...(cursor ? { cursor } : {}) });
    operators.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);

  const read = await mapLimited(operators, CONCURRENT_READS, async (operator) => {
    const found = await deps.stats.operatorStats(operator.operatorId, window[0]!);
    return { operator, carparks: found?.carparks ?? [], stats: { months: found?.months ?? [], totals: found?.totals ?? [] } };
  });

  const everyCarpark = read.flatMap((r) => r.carparks);
  const currencies = [...new Set(everyCarpark.map((c) => c.currency))].sort();
  const inCurrency = (carparks: readonly Carpark[], currency: Currency) => carparks.filter((c) => c.currency === currency);
  const ids = (carparks: readonly Carpark[]) => new Set(carparks.map((c) => c.carparkId));

  const byOperator: OperatorStanding[] = [];
  for (const { operator, carparks, stats } of read) {
    for (const currency of currencies) {
      const mine = inCurrency(carparks, currency);
      if (mine.length === 0) continue;
      const here = ids(mine);
      const summary = summarise(
        mine,
        stats.months.filter((m) => here.has(m.carparkId)),
        stats.totals.filter((t) => here.has(t.carparkId)),
        window,
      );
      byOperator.push({
        operatorId: operator.operatorId,
        name: operator.name,
        currency,
        carparks: mine.length,
        occupied: sumTypes(summary.now.occupied),
        capacity: sumTypes(summary.now.capacity),
        mrr: summary.now.mrr,
        arrears: { count: summary.now.arrears.count, amount: summary.now.arrears.amount },
        revenue: summary.months.reduce((n, m) => n + m.revenue, 0),
      });
    }
  }
  byOperator.sort((a, b) => a.currency.localeCompare(b.currency) || b.mrr - a.mrr || a.name.localeCompare(b.name));

  return {
    operators: operators.length,
    carparks: everyCarpark.length,
    currencies: currencies.map((currency) => {
      const mine = inCurrency(everyCarpark, currency);
      const here = ids(mine);
      const months = read.flatMap((r) => r.stats.months.filter((m) => here.has(m.carparkId)));
      const totals = read.flatMap((r) => r.stats.totals.filter((t) => here.has(t.carparkId)));
      return { currency, carparks: mine.length, ...summarise(mine, months, totals, window) };
    }),
    byOperator,
  };
}
