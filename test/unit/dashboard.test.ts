import { describe, expect, it } from 'vitest';
import type { Carpark } from '../../functions/domain/carparks';
import { lastMonths, summarise, type CarparkTotals, type MonthCounts, type MonthStats } from '../../functions/domain/dashboard';
import { addedUp, differences, recountStats } from '../../functions/domain/stats-recount';
import type { Tenancy } from '../../functions/domain/tenancies';
import type { TimelineEvent } from '../../functions/domain/tenancy-timeline';

const carpark = (carparkId: string, occupied: Carpark['occupied'], capacity: Carpark['capacity'] = { car: 10, van: 2 }) =>
  ({ carparkId, occupied, capacity, currency: 'gbp', name: carparkId }) as Carpark;

const month = (carparkId: string, m: string, counts: Partial<MonthStats> = {}): MonthStats => ({
  carparkId,
  month: m,
  taken: {},
  freed: {},
  ended: 0,
  revenue: 0,
  paymentsFailed: 0,
  paymentsRecovered: 0,
  ...counts,
});

/** Two car parks' totals: an invoice unpaid at both, another at one. */
const arrearsAtTwoCarparks: CarparkTotals[] = [
  { carparkId: 'cp_a', mrr: 10_000, arrears: [{ invoiceId: 'in_1', since: '2026-11-04T00:00:00.000Z', amount: 10_000 }] },
  {
    carparkId: 'cp_b',
    mrr: 4_000,
    arrears: [
      { invoiceId: 'in_2', since: '2026-12-01T00:00:00.000Z', amount: 4_000 },
      { invoiceId: 'in_1', since: '2026-11-04T00:00:00.000Z', amount: 4_000 },
    ],
  },
];

describe('the months a dashboard shows', () => {
  it('are the twelve ending with this one, across a new year', () => {
    const window = lastMonths(new Date('2026-02-15T10:00:00Z'), 12);
    expect(window[0]).toBe('2025-03');
    expect(window.at(-1)).toBe('2026-02');
    expect(window).toHaveLength(12);
  });
});

describe('the dashboard’s figures', () => {
  const window = ['2026-10', '2026-11', '2026-12'];

  it('walk occupancy back from now through each month’s spaces taken and given back, per vehicle type', () => {
    const { months, now } = summarise(
      [carpark('cp_a', { car: 3 }), carpark('cp_b', { car: 1, van: 1 })],
      [
        month('cp_a', '2026-11', { taken: { car: 2 } }),
        month('cp_a', '2026-12', { taken: { car: 2 }, freed: { car: 1 }, ended: 1 }),
        month('cp_b', '2026-12', { taken: { car: 1, van: 1 } }),
      ],
      [],
      window,
    );
    expect(now.occupied).toEqual({ car: 4, motorcycle: 0, van: 1, ev: 0 });
    expect(now.capacity).toEqual({ car: 20, motorcycle: 0, van: 4, ev: 0 });
    expect(months.map((m) => [m.month, m.occupied.car, m.occupied.van, m.ended])).toEqual([
      ['2026-10', 0, 0, 0],
      ['2026-11', 2, 0, 0],
      ['2026-12', 4, 1, 1],
    ]);
  });

  it('count an invoice unpaid at two car parks once, with the oldest date, and the share of failed payments paid since', () => {
    const { now, months } = summarise(
      [carpark('cp_a', {}), carpark('cp_b', {})],
      [month('cp_a', '2026-11', { paymentsFailed: 2, paymentsRecovered: 1, revenue: 5_000 }), month('cp_b', '2026-11', { paymentsFailed: 1, revenue: 2_500 })],
      arrearsAtTwoCarparks,
      window,
    );
    expect(now.mrr).toBe(14_000);
    expect(now.arrears).toEqual({ count: 2, amount: 18_000, oldestSince: '2026-11-04T00:00:00.000Z' });
    expect(now.recoveryRate).toBeCloseTo(1 / 3);
    expect(months[1]).toMatchObject({ revenue: 7_500, paymentsFailed: 3, paymentsRecovered: 1 });
  });

  it('say nothing of recovery when no payment failed', () => {
    expect(summarise([carpark('cp_a', {})], [], [], window).now.recoveryRate).toBeNull();
  });
});

/** The operator's own month: no car park. */
const operatorMonth = (m: string, counts: Partial<MonthStats> = {}): MonthCounts => {
  const { carparkId: _, ...rest } = month('', m, counts);
  return rest;
};

const tenancy = (id: string, overrides: Partial<Tenancy> = {}): Tenancy =>
  ({
    tenancyId: id,
    userId: 'usr_1',
    carparkId: 'cp_a',
    operatorId: 'op_1',
    vehicleType: 'car',
    plate: 'AB12CDE',
    status: 'active',
    startDate: '2026-11-02T00:00:00.000Z',
    priceId: 'price_car',
    monthlyAmount: 10_000,
    currency: 'gbp',
    barrier: { status: 'registered', changedAt: '2026-11-02T00:00:00.000Z' },
    createdAt: '2026-11-02T00:00:00.000Z',
    updatedAt: '2026-11-02T00:00:00.000Z',
    ...overrides,
  }) as Tenancy;

const event = (tenancyId: string, at: string, kind: TimelineEvent['kind'], detail?: TimelineEvent['detail']): TimelineEvent => ({
  tenancyId,
  at,
  kind,
  source: 'platform',
  ...(detail ? { detail } : {}),
});

describe('the recount', () => {
  it('counts from the timelines, and from their own dates the tenancies that have none', () => {
    const stats = recountStats({
      tenancies: [
        tenancy('tn_1'),
        tenancy('tn_2', { status: 'ended', vehicleType: 'van', monthlyAmount: 15_000, endsAt: '2026-12-05T00:00:00.000Z' }),
        // From before timelines: created in October, ended in November.
        tenancy('tn_old', { status: 'ended', createdAt: '2026-10-01T00:00:00.000Z', endsAt: '2026-11-20T00:00:00.000Z' }),
      ],
      events: [
        event('tn_1', '2026-11-02T00:00:00.000Z', 'rented', { vehicleType: 'car' }),
        event('tn_1', '2026-11-03T00:00:00.000Z', 'invoice_paid', { invoiceId: 'in_1', amount: 10_000, currency: 'gbp' }),
        event('tn_2', '2026-11-02T00:00:00.000Z', 'rented', { vehicleType: 'car' }),
        event('tn_2', '2026-11-10T00:00:00.000Z', 'vehicle_change_requested', { from: 'car', to: 'van' }),
        event('tn_2', '2026-12-04T00:00:00.000Z', 'payment_failed', { invoiceId: 'in_9' }),
        event('tn_1', '2026-12-04T00:00:00.000Z', 'payment_failed', { invoiceId: 'in_9' }),
        event('tn_2', '2026-12-05T00:00:00.000Z', 'ended'),
      ],
      failed: [{ invoiceId: 'in_9', month: '2026-12', since: '2026-12-01T00:00:00.000Z', parts: [{ operatorId: 'op_1', carparkId: 'cp_a', amount: 25_000 }] }],
      settled: new Map([['in_9', { paid: true }]]),
    }).get('op_1')!;
    const byMonth = Object.fromEntries(stats.months.map((m) => [m.month, m]));
    expect(byMonth['2026-10']).toMatchObject({ taken: { car: 1 } });
    expect(byMonth['2026-11']).toMatchObject({ taken: { car: 2, van: 1 }, freed: { car: 2 }, ended: 1, revenue: 10_000 });
    // Two tenancies at one car park on the failed invoice: one failed payment there, paid since.
    expect(byMonth['2026-12']).toMatchObject({ freed: { van: 1 }, ended: 1, paymentsFailed: 1, paymentsRecovered: 1 });
    expect(stats.totals).toEqual([{ carparkId: 'cp_a', mrr: 10_000, arrears: [] }]);
    expect(stats.overall).toEqual(addedUp(stats));
    expect(stats.overall.totals).toEqual({ mrr: 10_000, arrears: [] });
  });

  it('adds up the operator’s own figures from its car parks’: each month’s counts, and an invoice unpaid at two car parks once, its parts added', () => {
    const overall = addedUp({
      months: [
        month('cp_a', '2026-12', { taken: { car: 2 }, revenue: 20_000, paymentsFailed: 1 }),
        month('cp_b', '2026-12', { taken: { car: 1, van: 1 }, freed: { car: 1 }, ended: 1, revenue: 5_000, paymentsFailed: 1, paymentsRecovered: 1 }),
        month('cp_b', '2026-11', { taken: { car: 1 } }),
      ],
      totals: arrearsAtTwoCarparks,
    });
    expect(overall.months).toEqual([
      { month: '2026-11', taken: { car: 1 }, freed: {}, ended: 0, revenue: 0, paymentsFailed: 0, paymentsRecovered: 0 },
      { month: '2026-12', taken: { car: 3, van: 1 }, freed: { car: 1 }, ended: 1, revenue: 25_000, paymentsFailed: 2, paymentsRecovered: 1 },
    ]);
    expect(overall.totals).toEqual({
      mrr: 14_000,
      arrears: [
        { invoiceId: 'in_1', since: '2026-11-04T00:00:00.000Z', amount: 14_000 },
        { invoiceId: 'in_2', since: '2026-12-01T00:00:00.000Z', amount: 4_000 },
      ],
    });
    expect(addedUp({ months: [], totals: [] })).toEqual({ months: [], totals: undefined });
  });

  it('names each figure where the counters and the recount differ, the operator’s own as `operator`', () => {
    const stats = (revenue: number, mrr: number, operatorRevenue = revenue) => ({
      months: [month('cp_a', '2026-12', { revenue, taken: { car: 1 } })],
      totals: [{ carparkId: 'cp_a', mrr, arrears: [] }],
      overall: { months: [operatorMonth('2026-12', { revenue: operatorRevenue, taken: { car: 1 } })], totals: { mrr, arrears: [] } },
    });
    const recounted = stats(100, 10_000);
    expect(differences(stats(90, 9_000), recounted)).toEqual([
      'cp_a 2026-12 revenue: counted 90, recounted 100',
      'cp_a mrr: counted 9000, recounted 10000',
      'operator 2026-12 revenue: counted 90, recounted 100',
      'operator mrr: counted 9000, recounted 10000',
    ]);
    // The car park right and its operator not: the operator's line alone.
    expect(differences(stats(100, 10_000, 0), recounted)).toEqual(['operator 2026-12 revenue: counted 0, recounted 100']);
    expect(differences(recounted, recounted)).toEqual([]);
  });
});
