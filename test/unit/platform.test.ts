import { describe, expect, it } from 'vitest';
import type { Carpark } from '../../functions/domain/carparks';
import type { CarparkTotals, MonthStats } from '../../functions/domain/dashboard';
import type { Principal } from '../../functions/domain/identity';
import type { Operator } from '../../functions/domain/operators';
import { platformDashboard, type PlatformDeps } from '../../functions/domain/platform';

const admin: Principal = { userId: 'usr_admin', role: 'admin' };
const operatorCaller: Principal = { userId: 'usr_op', role: 'operator', operatorId: 'op_1' };

const carpark = (carparkId: string, currency: Carpark['currency'], occupied: number): Carpark =>
  ({ carparkId, currency, name: carparkId, occupied: { car: occupied }, capacity: { car: 10 } }) as Carpark;

/** A platform of `count` operators, each with a pound and a euro car park, and reads that count how many run at once. */
function platformOf(count: number) {
  const operators: Operator[] = Array.from({ length: count }, (_, i) => ({
    operatorId: `op_${i}`,
    name: `Operator ${String(i).padStart(3, '0')}`,
    contactEmail: `op${i}@test.example`,
    createdAt: '2026-01-01T00:00:00.000Z',
  }));
  let running = 0;
  let mostAtOnce = 0;
  const tick = async <T>(value: T): Promise<T> => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return value;
  };
  const deps: PlatformDeps = {
    clock: { now: () => new Date('2026-12-10T12:00:00Z') },
    operators: {
      // Pages of 100, as the repository gives them.
      search: async ({ cursor }) => {
        const from = cursor ? Number(cursor) : 0;
        const next = from + 100;
        return { items: operators.slice(from, next), ...(next < operators.length ? { nextCursor: String(next) } : {}) };
      },
    },
    stats: {
      operatorStats: (operatorId) =>
        tick({
          operator: operators.find((o) => o.operatorId === operatorId)!,
          carparks: [carpark(`cp_${operatorId}_gbp`, 'gbp', 2), carpark(`cp_${operatorId}_eur`, 'eur', 1)],
          months: [
            { carparkId: `cp_${operatorId}_gbp`, month: '2026-12', taken: { car: 2 }, freed: {}, ended: 0, revenue: 20_000, paymentsFailed: 0, paymentsRecovered: 0 },
            { carparkId: `cp_${operatorId}_eur`, month: '2026-12', taken: { car: 1 }, freed: {}, ended: 0, revenue: 9_000, paymentsFailed: 0, paymentsRecovered: 0 },
          ] satisfies MonthStats[],
          totals: [
            { carparkId: `cp_${operatorId}_gbp`, mrr: 20_000, arrears: [] },
            { carparkId: `cp_${operatorId}_eur`, mrr: 9_000, arrears: [{ invoiceId: `in_${operatorId}`, since: '2026-12-01T00:00:00.000Z', amount: 9_000 }] },
          ] satisfies CarparkTotals[],
        }),
    },
  };
  return { deps, mostAtOnce: () => mostAtOnce };
}

describe('the platform totals', () => {
  it('never add pounds to euros: one summary per currency, one row per operator and currency', async () => {
    const { deps } = platformOf(3);
    const platform = await platformDashboard(deps, admin);
    expect(platform).toMatchObject({ operators: 3, carparks: 6 });
    expect(platform.currencies.map((c) => [c.currency, c.carparks, c.now.occupied.car, c.now.mrr, c.now.arrears.count, c.months.at(-1)!.revenue])).toEqual([
      ['eur', 3, 3, 27_000, 3, 27_000],
      ['gbp', 3, 6, 60_000, 0, 60_000],
    ]);
    expect(platform.byOperator).toHaveLength(6);
    expect(platform.byOperator[0]).toEqual({
      operatorId: 'op_0',
      name: 'Operator 000',
      currency: 'eur',
      carparks: 1,
      occupied: 1,
      capacity: 10,
      mrr: 9_000,
      arrears: { count: 1, amount: 9_000 },
      revenue: 9_000,
    });
  });

  it('read every page of operators, but only eight operators at a time', async () => {
    const { deps, mostAtOnce } = platformOf(250);
    const platform = await platformDashboard(deps, admin);
    expect(platform.operators).toBe(250);
    expect(platform.currencies.find((c) => c.currency === 'gbp')?.now.mrr).toBe(250 * 20_000);
    // One read per operator.
    expect(mostAtOnce()).toBe(8);
  });

  it('are refused to operators', async () => {
    await expect(platformDashboard(platformOf(1).deps, operatorCaller)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
