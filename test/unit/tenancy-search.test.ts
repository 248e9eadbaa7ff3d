import { describe, expect, it } from 'vitest';
import type { Carpark } from '../../functions/domain/carparks';
import type { PlateSighting } from '../../functions/domain/plate-lookup';
import { foldLookAlikes } from '../../functions/domain/plates';
import type { Tenancy } from '../../functions/domain/tenancies';
import { searchTenancies, type TenancySearchDeps } from '../../functions/domain/tenancy-search';
import type { User } from '../../functions/domain/users';

const operatorX = { userId: 'usr_x', role: 'operator' as const, operatorId: 'op_x' };

/** A search whose plate sightings are `sightings` (more than were read when `truncated`), and who counts what it reads. */
function deps(sightings: PlateSighting[], truncated: boolean, accounts: User[] = []) {
  const reads: string[] = [];
  const fake: TenancySearchDeps = {
    plateSightings: {
      find: async () => {
        reads.push('sightings');
        return { items: sightings, truncated };
      },
    },
    tenanciesWithTenants: {
      get: async () => {
        reads.push('tenancies and tenants');
        return { tenancies: [], tenants: [] };
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
  return { deps: fake, reads };
}

const sighting = (carparkId: string, operatorId: string): PlateSighting => ({
  folded: foldLookAlikes('AB12CDE'),
  plate: 'AB12CDE',
  tenancyId: `tn_${carparkId}`,
  operatorId,
  carparkId,
  userId: 'usr_1',
});

describe('a search for what looks like a plate', () => {
  it('says more may have matched when the plate had more sightings than were read, even once it looked among emails', async () => {
    const { deps: fake, reads } = deps([sighting('cp_elsewhere', 'op_y')], true);
    const found = await searchTenancies(fake, operatorX, { carparkId: 'cp_here', q: 'AB12CDE' });
    expect(found).toEqual({ items: [], truncated: true });
    expect(reads).toEqual(['sightings', 'accounts by email', 'car park']);
  });

  it('is refused at another operator’s car park as soon as its sightings say whose it is, before any tenancy is read', async () => {
    const { deps: fake, reads } = deps([sighting('cp_theirs', 'op_y')], false);
    await expect(searchTenancies(fake, operatorX, { carparkId: 'cp_theirs', q: 'AB12CDE' })).rejects.toMatchObject({ code: 'not_found' });
    expect(reads).toEqual(['sightings']);
  });
});
