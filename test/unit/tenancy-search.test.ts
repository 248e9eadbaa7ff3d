import { describe, expect, it } from 'vitest';
import type { Carpark } from '../../functions/domain/carparks';
import type { PlateSighting } from '../../functions/domain/plate-lookup';
import { foldLookAlikes } from '../../functions/domain/plates';
import type { Tenancy } from '../../functions/domain/tenancies';
import { searchTenancies, type TenancySearchDeps } from '../../functions/domain/tenancy-search';
import type { User } from '../../functions/domain/users';

const operatorX = { userId: 'usr_x', role: 'operator' as const, operatorId: 'op_x' };

type Found = Awaited<ReturnType<TenancySearchDeps['plates']['find']>>;

/** A search whose plate index holds `found`, whose second read answers `read`, and who counts what it reads. */
function deps(found: Found, read: { tenancies?: Tenancy[]; tenants?: User[] } = {}, accounts: User[] = []) {
  const reads: string[] = [];
  const asked: { tenancyIds: readonly string[]; userIds: readonly string[] }[] = [];
  const fake: TenancySearchDeps = {
    plates: {
      find: async () => {
        reads.push('plate index');
        return found;
      },
    },
    tenanciesWithTenants: {
      get: async (tenancyIds, userIds) => {
        reads.push('tenancies and tenants');
        asked.push({ tenancyIds, userIds });
        return { tenancies: read.tenancies ?? [], tenants: read.tenants ?? [] };
      },
    },
    users: { getMany: async () => [] },
    carparks: {
      get: async (carparkId) => {
        reads.push('car park');
        return { carparkId, operatorId: 'op_x' } as Carpark;
      },
    },
    tenancies: {
      listByUser: async () => {
        reads.push('tenancies of an account');
        return { items: [] as Tenancy[] };
      },
    },
    directory: {
      search: async ({ by }) => {
        reads.push(`accounts by ${by}`);
        return { items: by === 'email' ? accounts : [] };
      },
    },
  };
  return { deps: fake, reads, asked };
}

const tenancy = (tenancyId: string, plates: { plate: string; extraPlates?: string[] }, operatorId = 'op_x'): Tenancy =>
  ({ tenancyId, userId: `usr_of_${tenancyId}`, carparkId: 'cp_here', operatorId, status: 'active', createdAt: '2026-01-01T00:00:00.000Z', ...plates }) as Tenancy;

const sighting = (tenancyId: string, operatorId = 'op_x'): PlateSighting => ({
  folded: foldLookAlikes('AB12CDE'),
  plate: 'AB12CDE',
  tenancyId,
  operatorId,
  carparkId: 'cp_here',
  userId: `usr_of_${tenancyId}`,
});

describe('a search for what looks like a plate', () => {
  it('answers from one read when the tenancies hold it as their first plate and keep their tenant’s name', async () => {
    const held = tenancy('tn_1', { plate: 'AB12CDE' });
    const { deps: fake, reads } = deps({ tenancies: [{ tenancy: held, tenantName: 'Ada Holder' }], sightings: [sighting('tn_1')], truncated: false });
    const found = await searchTenancies(fake, operatorX, { carparkId: 'cp_here', q: 'A8 12 CDE' });
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant])).toEqual([['tn_1', { userId: 'usr_of_tn_1', name: 'Ada Holder' }]]);
    expect(reads).toEqual(['plate index']);
  });

  it('reads a second time only the tenancies sighted on the plate that do not hold it first, and leaves out those that moved on', async () => {
    const asExtra = tenancy('tn_extra', { plate: 'ZZ99ZZZ', extraPlates: ['AB12CDE'] });
    const movedOn = tenancy('tn_moved', { plate: 'YY88YYY' });
    const { deps: fake, reads, asked } = deps(
      { tenancies: [], sightings: [sighting('tn_extra'), sighting('tn_moved')], truncated: false },
      { tenancies: [asExtra, movedOn], tenants: [{ userId: 'usr_of_tn_extra', name: 'Extra Driver' } as User] },
    );
    const found = await searchTenancies(fake, operatorX, { carparkId: 'cp_here', q: 'AB12CDE' });
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant.name])).toEqual([['tn_extra', 'Extra Driver']]);
    expect(reads).toEqual(['plate index', 'tenancies and tenants']);
    expect(asked[0]!.tenancyIds).toEqual(['tn_extra', 'tn_moved']);
  });

  it('reads the tenants for an admin, who sees their email too, and for a tenancy that keeps no name', async () => {
    const held = tenancy('tn_1', { plate: 'AB12CDE' });
    const admin = { userId: 'usr_admin', role: 'admin' as const };
    const { deps: fake, reads, asked } = deps(
      { tenancies: [{ tenancy: held, tenantName: 'Ada Holder' }], sightings: [], truncated: false },
      { tenants: [{ userId: 'usr_of_tn_1', name: 'Ada Holder', email: 'ada@example.com' } as User] },
    );
    const found = await searchTenancies(fake, admin, { carparkId: 'cp_here', q: 'AB12CDE' });
    expect(found.items[0]!.tenant).toEqual({ userId: 'usr_of_tn_1', name: 'Ada Holder', email: 'ada@example.com' });
    expect(reads).toEqual(['plate index', 'tenancies and tenants']);
    expect(asked[0]).toEqual({ tenancyIds: [], userIds: ['usr_of_tn_1'] });

    const unnamed = deps({ tenancies: [{ tenancy: held }], sightings: [], truncated: false }, { tenants: [{ userId: 'usr_of_tn_1', name: 'Ada Holder', email: 'ada@example.com' } as User] });
    const forOperator = await searchTenancies(unnamed.deps, operatorX, { carparkId: 'cp_here', q: 'AB12CDE' });
    expect(forOperator.items[0]!.tenant).toEqual({ userId: 'usr_of_tn_1', name: 'Ada Holder' });
    expect(unnamed.reads).toEqual(['plate index', 'tenancies and tenants']);
  });

  it('says more may have matched when the plate index held more than was read, even once it looked among emails', async () => {
    const { deps: fake, reads } = deps({ tenancies: [], sightings: [], truncated: true });
    const found = await searchTenancies(fake, operatorX, { carparkId: 'cp_here', q: 'AB12CDE' });
    expect(found).toEqual({ items: [], truncated: true });
    expect(reads).toEqual(['plate index', 'accounts by email', 'car park']);
  });

  it('is refused at another operator’s car park as soon as the plate index says whose it is, before any tenancy or tenant is read', async () => {
    const theirs = tenancy('tn_theirs', { plate: 'AB12CDE' }, 'op_y');
    const { deps: fake, reads } = deps({ tenancies: [{ tenancy: theirs }], sightings: [sighting('tn_other', 'op_y')], truncated: false });
    await expect(searchTenancies(fake, operatorX, { carparkId: 'cp_theirs', q: 'AB12CDE' })).rejects.toMatchObject({ code: 'not_found' });
    expect(reads).toEqual(['plate index']);
  });
});
