import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../functions/domain/errors';
import { lookUpPlate, type PlateLookupDeps, type PlateSighting } from '../../functions/domain/plate-lookup';
import { foldLookAlikes, normalisePlate } from '../../functions/domain/plates';
import type { Tenancy } from '../../functions/domain/tenancies';

const LOOK_ALIKES: [string, string][] = [
  ['O', '0'],
  ['I', '1'],
  ['S', '5'],
  ['B', '8'],
];

describe('folding look-alike characters', () => {
  it('folds O, I, S and B onto 0, 1, 5 and 8, after normalising', () => {
    expect(foldLookAlikes('so51 bio')).toBe('5051810');
    expect(foldLookAlikes('5051-8I0')).toBe('5051810');
    expect(foldLookAlikes('AB12 CDE')).toBe('A812CDE');
  });

  it('leaves every other character as it is', () => {
    expect(foldLookAlikes('ACDEFGHJKLMNPQRTUVWXYZ234679')).toBe('ACDEFGHJKLMNPQRTUVWXYZ234679');
  });

  it('gives one key to every spelling that swaps look-alikes, and is idempotent', () => {
    const plate = fc.string({ unit: fc.constantFrom(...'ABCOIS018X5'), minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(plate, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (p, swaps) => {
        const swapped = [...p]
          .map((c, i) => {
            const pair = LOOK_ALIKES.find(([letter, digit]) => c === letter || c === digit);
            if (!pair || !swaps[i]) return c;
            return c === pair[0] ? pair[1] : pair[0];
          })
          .join('');
        return foldLookAlikes(swapped) === foldLookAlikes(p) && foldLookAlikes(foldLookAlikes(p)) === foldLookAlikes(p);
      }),
    );
  });

  it('keeps plates apart that differ by more than look-alikes', () => {
    expect(foldLookAlikes('AB12CDE')).not.toBe(foldLookAlikes('AB12CDF'));
    expect(foldLookAlikes('AB12CDE')).not.toBe(foldLookAlikes('AB12CD'));
  });
});

const tenancy = (over: Partial<Tenancy> & Pick<Tenancy, 'tenancyId' | 'plate' | 'operatorId'>): Tenancy => ({
  userId: 'usr_1',
  carparkId: 'cp_1',
  vehicleType: 'car',
  status: 'active',
  startDate: '2026-01-01T00:00:00.000Z',
  priceId: 'price_1',
  monthlyAmount: 10_000,
  currency: 'gbp',
  barrier: { status: 'registered', changedAt: '2026-01-01T00:00:00.000Z' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/** Sightings name their tenant unless `unnamed` lists the tenancy (written before they did). */
function fakeDeps(tenancies: Tenancy[], plateHistory: Record<string, string[]> = {}, unnamed: readonly string[] = []) {
  const calls: { operatorId?: string }[] = [];
  const userReads: string[][] = [];
  const contact = (userId: string) => ({ userId, name: `Name of ${userId}`, email: `${userId}@example.com` });
  const deps: PlateLookupDeps = {
    plateSightings: {
      async find(folded, options) {
        calls.push(options);
        const sightings: PlateSighting[] = tenancies.flatMap((t) =>
          [t.plate, ...(plateHistory[t.tenancyId] ?? [])].map((plate) => ({
            folded: foldLookAlikes(plate),
            plate,
            tenancyId: t.tenancyId,
            operatorId: t.operatorId,
            carparkId: t.carparkId,
            ...(unnamed.includes(t.tenancyId) ? {} : { userId: t.userId }),
          })),
        );
        const items = sightings.filter((s) => s.folded === folded && (!options.operatorId || s.operatorId === options.operatorId));
        return { items: items.slice(0, options.limit), truncated: items.length > options.limit };
      },
    },
    tenanciesWithTenants: { get: async (ids, userIds) => ({ tenancies: tenancies.filter((t) => ids.includes(t.tenancyId)), tenants: userIds.map(contact) }) },
    users: {
      getMany: async (ids) => {
        userReads.push([...ids]);
        return ids.map(contact);
      },
    },
  };
  return { deps, calls, userReads };
}

const operatorX = { userId: 'usr_x', role: 'operator' as const, operatorId: 'op_x' };
const admin = { userId: 'usr_admin', role: 'admin' as const };

describe('looking up a plate', () => {
  it('refuses tenants', async () => {
    const { deps } = fakeDeps([]);
    await expect(lookUpPlate(deps, { userId: 'usr_t', role: 'tenant' }, 'AB12CDE')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses what cannot be a plate, naming the field', async () => {
    const { deps } = fakeDeps([]);
    for (const bad of ['', '!!', 'A', 'ABCDEFGHIJKLM', "AB12'CDE", 'AB12;CDE']) {
      const error = await lookUpPlate(deps, admin, bad).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toBe('plate');
    }
  });

  it('asks only for the operator’s own sightings, and drops any other operator’s tenancy that slips through', async () => {
    const { deps, calls } = fakeDeps([
      tenancy({ tenancyId: 'tn_x', plate: 'SO51BIO', operatorId: 'op_x' }),
      tenancy({ tenancyId: 'tn_y', plate: 'SO51BIO', operatorId: 'op_y' }),
    ]);
    const result = await lookUpPlate(deps, operatorX, '5051 8I0');
    expect(calls[0]).toMatchObject({ operatorId: 'op_x' });
    expect(result.items.map((i) => i.tenancy.tenancyId)).toEqual(['tn_x']);
    expect(result.items[0]!.tenant).toEqual({ userId: 'usr_1', name: 'Name of usr_1' });
    expect((await lookUpPlate(deps, admin, 'SO51BIO')).items.map((i) => i.tenant.email)).toEqual(['usr_1@example.com', 'usr_1@example.com']);
  });

  it('reads the tenants with their tenancies, and reads apart only those of sightings that do not name them', async () => {
    const named = fakeDeps([tenancy({ tenancyId: 'tn_a', plate: 'SO51BIO', operatorId: 'op_x', userId: 'usr_a' })]);
    expect((await lookUpPlate(named.deps, operatorX, 'SO51BIO')).items[0]!.tenant).toEqual({ userId: 'usr_a', name: 'Name of usr_a' });
    expect(named.userReads).toEqual([]);

    const older = fakeDeps(
      [tenancy({ tenancyId: 'tn_a', plate: 'SO51BIO', operatorId: 'op_x', userId: 'usr_a' }), tenancy({ tenancyId: 'tn_b', plate: 'SO51BIO', operatorId: 'op_x', userId: 'usr_b' })],
      {},
      ['tn_b'],
    );
    const found = await lookUpPlate(older.deps, operatorX, 'SO51BIO');
    expect(found.items.map((i) => i.tenant.name).sort()).toEqual(['Name of usr_a', 'Name of usr_b']);
    expect(older.userReads).toEqual([['usr_b']]);
  });

  it('leaves out a tenancy whose plate has since changed to something else', async () => {
    const { deps } = fakeDeps([tenancy({ tenancyId: 'tn_moved', plate: 'QR34STU', operatorId: 'op_x' })], { tn_moved: ['LM12NOP'] });
    expect((await lookUpPlate(deps, operatorX, 'LM12NOP')).items).toEqual([]);
    expect((await lookUpPlate(deps, operatorX, 'QR34STU')).items).toHaveLength(1);
  });

  it('lists exact matches first, then live before ended, and says whether the plate opens the barrier now', async () => {
    const { deps } = fakeDeps([
      tenancy({ tenancyId: 'tn_ended', plate: 'SO51BIO', operatorId: 'op_x', status: 'ended', barrier: { status: 'revoked', changedAt: '2026-02-01T00:00:00.000Z' } }),
      tenancy({ tenancyId: 'tn_lookalike', plate: 'S051BIO', operatorId: 'op_x' }),
      tenancy({ tenancyId: 'tn_exact', plate: 'SO51BIO', operatorId: 'op_x' }),
    ]);
    const result = await lookUpPlate(deps, operatorX, normalisePlate('so51 bio'));
    expect(result.items.map((i) => [i.tenancy.tenancyId, i.exact, i.liveAtBarrier])).toEqual([
      ['tn_exact', true, true],
      ['tn_ended', true, false],
      ['tn_lookalike', false, true],
    ]);
  });
});
