/** Which tenancies the sweeper resumes: the rule in `stuck`, on plain tenancies. */
import { describe, expect, it } from 'vitest';
import { resumeAuthenticatedSetups, stuck, stuckPlateChanges, sweepTenancies, SWEEP_AFTER_MS, type WorkflowResumer } from '../../functions/domain/sweeper';
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

describe('the sweeper on a tenancy waiting for its first charge to be authenticated', () => {
  // Asked long enough ago to look stuck, were it not waiting for the tenant.
  const waiting = (until: number) =>
    tenancy({ updatedAt: iso(NOW - 3 * SWEEP_AFTER_MS), awaitingAuthentication: { invoiceId: 'in_1', until: iso(until) } });
  const resumer = () => {
    const calls: { tenancyId: string; stateKey: string; more?: Record<string, unknown> }[] = [];
    const workflows: WorkflowResumer = {
      resume: async (_kind, tenancyId, stateKey, more) => {
        calls.push({ tenancyId, stateKey, ...(more ? { more } : {}) });
        return true;
      },
      continueSetup: async (tenancyId, invoiceId) => {
        calls.push({ tenancyId, stateKey: `paid-${invoiceId}` });
        return true;
      },
      resumePlateChange: async (tenancyId, plate, stateKey) => {
        calls.push({ tenancyId, stateKey: `${plate}-${stateKey}` });
        return true;
      },
    };
    return { calls, workflows };
  };
  const sweepOne = (t: Tenancy, workflows: WorkflowResumer) =>
    sweepTenancies({
      carparks: { list: async () => ({ items: [{ carparkId: 'cp_1' }] as never }) },
      tenancies: { liveAtCarpark: async () => [t] },
      workflows,
      clock: { now: () => new Date(NOW) },
    });

  it('leaves it alone until the deadline, however quiet it is', () => {
    expect(stuck(waiting(NOW + 1), NOW)).toBeUndefined();
  });

  it('resumes its setup past the deadline, saying so, under a name of its own', async () => {
    const t = waiting(NOW - 1);
    expect(stuck(t, NOW)).toBe('setup');
    const { calls, workflows } = resumer();
    await sweepOne(t, workflows);
    expect(calls).toEqual([{ tenancyId: 'tn_1', stateKey: `unauthenticated-${NOW - 1}`, more: { authenticationExpiredAt: iso(NOW) } }]);
  });

  it('resumes a setup waiting on the invoice just paid, and none other', async () => {
    const { calls, workflows } = resumer();
    const tenancies = [
      tenancy({ tenancyId: 'tn_waits', awaitingAuthentication: { invoiceId: 'in_paid', until: iso(NOW) } }),
      tenancy({ tenancyId: 'tn_other', awaitingAuthentication: { invoiceId: 'in_other', until: iso(NOW) } }),
      tenancy({ tenancyId: 'tn_active', status: 'active' }),
    ];
    const deps = { payments: { userForCustomer: async (id: string) => (id === 'cus_1' ? 'usr_1' : undefined) }, tenancies: { allOfUser: async () => tenancies }, workflows };
    expect(await resumeAuthenticatedSetups(deps, { invoiceId: 'in_paid', customerId: 'cus_1' })).toEqual({ resumed: ['tn_waits'] });
    expect(calls).toEqual([{ tenancyId: 'tn_waits', stateKey: 'paid-in_paid' }]);
    expect(await resumeAuthenticatedSetups(deps, { invoiceId: 'in_paid', customerId: 'cus_stranger' })).toEqual({ resumed: [] });
  });
});

describe('the sweeper on a plate change left undone', () => {
  it('resumes a plate being added or changed to once it has been quiet past any retry, under a name bound to that state', () => {
    const changing = tenancy({ status: 'active', pendingPlate: 'NEW1PL', updatedAt: iso(NOW - SWEEP_AFTER_MS) });
    expect(stuckPlateChanges(changing, NOW)).toEqual([{ plate: 'NEW1PL', stateKey: `pending-${NOW - SWEEP_AFTER_MS}` }]);
    expect(stuckPlateChanges({ ...changing, updatedAt: iso(NOW - SWEEP_AFTER_MS + 1) }, NOW)).toEqual([]);
  });

  it('resumes a removed plate’s revocation only well after its paid period ended, or at once when executions were lost', () => {
    const until = iso(NOW - SWEEP_AFTER_MS);
    const removed = tenancy({ status: 'active', retiredPlates: [{ plate: 'OLD1PL', until }, { plate: 'OLD2PL', until: iso(NOW + 1_000) }] });
    expect(stuckPlateChanges(removed, NOW)).toEqual([{ plate: 'OLD1PL', stateKey: `removed-${NOW - SWEEP_AFTER_MS}`, removedUntil: until }]);
    expect(stuckPlateChanges(removed, NOW, { executionsLost: true }).map((c) => c.plate)).toEqual(['OLD1PL', 'OLD2PL']);
  });
});
