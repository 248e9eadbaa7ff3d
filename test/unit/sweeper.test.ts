/** Which tenancies the sweeper resumes: the rule in `stuck`, on plain tenancies. */
import { describe, expect, it } from 'vitest';
import { stuck, SWEEP_AFTER_MS } from '../../functions/domain/sweeper';
import type { Tenancy } from '../../functions/domain/tenancies';

const NOW = Date.parse('2026-12-10T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const tenancy = (changes: Partial<Tenancy>): Tenancy => ({
  tenancyId: 'tn_1',
  userId: 'usr_1',
  carparkId: 'cp_1',
  operatorId: 'op_1',
  vehicleType: 'car',
  plate: 'AB12CDE',
  status: 'pending',
  startDate: iso(NOW - 60 * 60 * 1000),
  priceId: 'price_1',
  monthlyAmount: 10_000,
  currency: 'gbp',
  barrier: { status: 'pending', changedAt: iso(NOW - 60 * 60 * 1000) },
  createdAt: iso(NOW - 60 * 60 * 1000),
  updatedAt: iso(NOW - 60 * 60 * 1000),
  ...changes,
});

describe('the sweeper on a scheduled tenancy', () => {
  // Booked a week ago; its setup execution has been waiting, quiet, ever since.
  const bookedAgo = { updatedAt: iso(NOW - 7 * 24 * 60 * 60 * 1000) };

  it('leaves it alone while its setup waits for the start date, however long it has been quiet', () => {
    expect(stuck(tenancy({ ...bookedAgo, status: 'scheduled', startDate: iso(NOW + 24 * 60 * 60 * 1000) }), NOW)).toBeUndefined();
  });

  it('leaves it alone just after its start, while the woken setup begins it', () => {
    expect(stuck(tenancy({ ...bookedAgo, status: 'scheduled', startDate: iso(NOW - SWEEP_AFTER_MS + 1000) }), NOW)).toBeUndefined();
  });

  it('resumes its setup once it is still scheduled past the deadline after its start', () => {
    expect(stuck(tenancy({ ...bookedAgo, status: 'scheduled', startDate: iso(NOW - SWEEP_AFTER_MS) }), NOW)).toBe('setup');
  });

  it('resumes it at once when every execution is known lost (the twin restarted)', () => {
    const later = tenancy({ ...bookedAgo, status: 'scheduled', startDate: iso(NOW + 24 * 60 * 60 * 1000) });
    expect(stuck(later, NOW, { executionsLost: true })).toBe('setup');
  });
});
