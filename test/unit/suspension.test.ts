/** A suspended tenancy never gets its plate back by being cancelled, nor from reconciliation. */
import { describe, expect, it } from 'vitest';
import type { PlateRegistration } from '../../functions/domain/barrier';
import { reconcileBarriers, type ReconciliationDeps } from '../../functions/domain/reconciliation';
import type { Tenancy, TenancyStatus } from '../../functions/domain/tenancies';
import { cancelTenancy, type TenancyDeps } from '../../functions/domain/tenancy-service';
import { FakeClock } from './fakes';

const base = (tenancyId: string, plate: string, status: TenancyStatus, extra: Partial<Tenancy> = {}): Tenancy => ({
  tenancyId,
  userId: 'usr_1',
  carparkId: 'cp_1',
  operatorId: 'op_1',
  vehicleType: 'car',
  plate,
  status,
  startDate: '2026-11-24T09:00:00.000Z',
  priceId: 'price_1',
  monthlyAmount: 10_000,
  currency: 'gbp',
  barrier: { status: 'registered', changedAt: '2026-11-24T09:00:00.000Z' },
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
  ...extra,
});

const arrears = { state: 'suspended' as const, invoiceId: 'in_1', since: '2026-11-24T09:00:00.000Z', amountDue: 10_000, currency: 'gbp' };

function tenancyDeps(stored: Tenancy) {
  let current = stored;
  const started: string[] = [];
  const deps = {
    tenancies: {
      get: async () => current,
      transition: async (_id: string, from: readonly TenancyStatus[], changes: Partial<Tenancy>) => {
        if (!from.includes(current.status)) return undefined;
        current = { ...current, ...changes };
        return current;
      },
    },
    workflows: { startCancellation: async (id: string) => void started.push(id) },
    clock: new FakeClock(),
  } as unknown as TenancyDeps;
  return { deps, started, current: () => current };
}

const tenant = { userId: 'usr_1', role: 'tenant' as const };

describe('cancelling a suspended tenancy', () => {
  it('keeps it suspended (its plate off the barrier) and marks it to end', async () => {
    const { deps, started, current } = tenancyDeps(base('tn_1', 'SUS1', 'suspended', { suspendedFrom: 'active', arrears }));
    const result = await cancelTenancy(deps, tenant, 'tn_1');
    expect(result.status).toBe('suspended');
    expect(current()).toMatchObject({ status: 'suspended', suspendedFrom: 'cancelling' });
    expect(started).toEqual(['tn_1']);
  });

  it('is a no-op the second time', async () => {
    const { deps, started } = tenancyDeps(base('tn_1', 'SUS1', 'suspended', { suspendedFrom: 'cancelling', arrears }));
    expect((await cancelTenancy(deps, tenant, 'tn_1')).status).toBe('suspended');
    expect(started).toEqual([]);
  });
});

describe('reconciliation', () => {
  it('registers only paid, live tenancies and takes suspended ones off, cancelled or not', async () => {
    const live = [
      base('tn_a', 'ACTIVE1', 'active'),
      base('tn_c', 'CANCEL1', 'cancelling'),
      base('tn_s', 'SUSP1', 'suspended', { suspendedFrom: 'active', arrears }),
      base('tn_sc', 'SUSPC1', 'suspended', { suspendedFrom: 'cancelling', arrears }),
      // Written by an older version: cancelled while suspended, status `cancelling`.
      base('tn_old', 'OLDC1', 'cancelling', { suspendedFrom: 'active', arrears }),
      base('tn_arr', 'ARREARS1', 'active', { arrears }),
    ];
    const listed = new Map<string, PlateRegistration>();
    for (const plate of ['SUSP1', 'SUSPC1', 'OLDC1', 'ARREARS1']) {
      listed.set(plate, { siteId: 'SITE', plate, validFrom: '', validTo: null, reference: '', registeredAt: '' });
    }
    const deps: ReconciliationDeps = {
      carparks: { list: async () => ({ items: [{ carparkId: 'cp_1', smartParkingSiteId: 'SITE' }] }) } as unknown as ReconciliationDeps['carparks'],
      tenancies: { liveAtCarpark: async () => live, get: async (id) => live.find((t) => t.tenancyId === id) },
      barrier: {
        register: async (r) => {
          const registration = { ...r, registeredAt: '' };
          listed.set(r.plate, registration);
          return registration;
        },
        revoke: async ({ plate }) => void listed.delete(plate),
        list: async () => [...listed.values()],
      },
      runs: { save: async () => undefined },
      clock: new FakeClock(),
    };
    await reconcileBarriers(deps);
    expect([...listed.keys()].sort()).toEqual(['ACTIVE1', 'CANCEL1']);
  });

  /** A site whose whitelist the run reads, and whose tenancies change between the run's read and its fix. */
  function racedSite(snapshot: Tenancy, fresh: Tenancy, listedAtStart: string[]) {
    const listed = new Set(listedAtStart);
    const deps: ReconciliationDeps = {
      carparks: { list: async () => ({ items: [{ carparkId: 'cp_1', smartParkingSiteId: 'SITE' }] }) } as unknown as ReconciliationDeps['carparks'],
      tenancies: { liveAtCarpark: async () => [snapshot], get: async (_id, consistent) => (consistent ? fresh : snapshot) },
      barrier: {
        register: async (r) => (listed.add(r.plate), { ...r, registeredAt: '' }),
        revoke: async ({ plate }) => void listed.delete(plate),
        list: async () => [...listed].map((plate) => ({ siteId: 'SITE', plate, validFrom: '', validTo: null, reference: '', registeredAt: '' })),
      },
      runs: { save: async () => undefined },
      clock: new FakeClock(),
    };
    return { deps, listed };
  }

  it('puts back a plate whose arrears were settled while the run was deciding to revoke it', async () => {
    // The run read the tenancy suspended; settlement then recorded it active and registered the plate.
    const suspended = base('tn_s', 'SETTLED1', 'suspended', { suspendedFrom: 'active', arrears });
    const { deps, listed } = racedSite(suspended, base('tn_s', 'SETTLED1', 'active'), ['SETTLED1']);
    const run = await reconcileBarriers(deps);
    expect([...listed]).toEqual(['SETTLED1']);
    expect(run.fixes).toEqual([]);
  });

  it('takes back off a plate whose tenancy was suspended while the run was deciding to register it', async () => {
    // The run read the tenancy active; suspension then recorded it suspended and revoked the plate.
    const suspended = base('tn_a', 'SUSPENDED1', 'suspended', { suspendedFrom: 'active', arrears });
    const { deps, listed } = racedSite(base('tn_a', 'SUSPENDED1', 'active'), suspended, []);
    const run = await reconcileBarriers(deps);
    expect([...listed]).toEqual([]);
    expect(run.fixes).toEqual([]);
  });
});
