/**
 * Finding a car park's tenancies by what an operator has in hand: a plate (look-alikes tolerated,
 * as in the plate look-up), the start of the tenant's email, or the start of their name (not for
 * what has a digit or an @ in it). Bounded: one query of the plate's sightings, one of the
 * accounts by email and one by name (at most MAX_TENANTS_MATCHED each), all at once, with the car
 * park beside them when no plate is looked for; then one query per matching account of its
 * tenancies at the car park beside one batch read of the car park and the plate's tenancies; then
 * a batch read of the plate's tenants. `truncated` when more matched.
 */
import type { UserDirectory } from './user-directory';
import { NotFoundError, ValidationError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import type { PlateLookupDeps } from './plate-lookup';
import { foldLookAlikes, normalisePlate, PLATE_LENGTH } from './plates';
import type { Carpark } from './carparks';
import type { CarparkRepository } from './ports';
import { asSeenByOperator, platesOnRecord, type Tenancy, type TenancyRepository, type TenancyView } from './tenancies';
import { normaliseEmail } from './users';

/** Accounts matched by email, and by name, per search. */
export const MAX_TENANTS_MATCHED = 10;
/** Tenancies of one account at one car park read per search. */
const TENANCIES_PER_TENANT = 25;
/** Plate sightings read per search. */
const PLATE_SIGHTINGS = 100;

export interface TenancySearchDeps {
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly tenancies: Pick<TenancyRepository, 'listByUser'>;
  readonly directory: UserDirectory;
  readonly plateSightings: PlateLookupDeps['plateSightings'];
  /** The car park and some of its tenancies, in one read. */
  readonly carparkWithTenancies: {
    get(carparkId: string, tenancyIds: readonly string[]): Promise<{ carpark: Carpark | undefined; tenancies: Tenancy[] }>;
  };
  readonly users: PlateLookupDeps['users'];
}

export interface TenancySearchMatch {
  readonly tenancy: TenancyView;
  /** The tenant: name always, email for admins only. */
  readonly tenant: { readonly userId: string; readonly name?: string; readonly email?: string };
  /** What matched: the plate (or a look-alike), the email or the name. */
  readonly matched: readonly ('plate' | 'email' | 'name')[];
}

const looksLikePlate = (q: string) => /^[\p{L}\p{M}0-9 .·-]+$/u.test(q) && /\d/.test(q) && normalisePlate(q).length >= PLATE_LENGTH.min && normalisePlate(q).length <= 12;

export async function searchTenancies(
  deps: TenancySearchDeps,
  caller: Principal,
  query: { carparkId: string; q: string },
): Promise<{ items: TenancySearchMatch[]; truncated: boolean }> {
  const q = query.q.trim();
  if (q.length === 0) throw new ValidationError('Type something to search for.', [{ path: 'q', message: 'Type a plate, or the start of a name or email.' }]);
  if (caller.role === 'tenant') throw new NotFoundError('Car park');
  const folded = looksLikePlate(q) ? foldLookAlikes(normalisePlate(q)) : undefined;
  // The three searches at once; the car park beside them, or (for a plate) read with its tenancies
  // next. Nothing found is shown unless the car park is the caller's.
  const [byPlate, byEmail, byName, carparkAlone] = await Promise.all([
    folded ? deps.plateSightings.find(folded, { limit: PLATE_SIGHTINGS }) : undefined,
    deps.directory.search({ by: 'email', prefix: normaliseEmail(q), limit: MAX_TENANTS_MATCHED + 1 }),
    // Names have no digits or @: a plate or an email is not looked for among them.
    folded || q.includes('@') ? { items: [] } : deps.directory.search({ by: 'name', prefix: q, limit: MAX_TENANTS_MATCHED + 1 }),
    folded ? undefined : deps.carparks.get(query.carparkId),
  ]);
  const visible = (c: Carpark | undefined): c is Carpark => c !== undefined && canManageOperator(caller, c.operatorId);
  if (!folded && !visible(carparkAlone)) throw new NotFoundError('Car park');

  let truncated = (byPlate?.truncated ?? false) || byEmail.items.length > MAX_TENANTS_MATCHED || byName.items.length > MAX_TENANTS_MATCHED;

  const plateIds = [...new Set((byPlate?.items ?? []).filter((s) => s.carparkId === query.carparkId).map((s) => s.tenancyId))];
  const accounts = [
    ...byEmail.items.slice(0, MAX_TENANTS_MATCHED).map((u) => ({ user: u, how: 'email' as const })),
    ...byName.items.slice(0, MAX_TENANTS_MATCHED).map((u) => ({ user: u, how: 'name' as const })),
  ];
  const [{ carpark, tenancies: plated }, pages] = await Promise.all([
    folded ? deps.carparkWithTenancies.get(query.carparkId, plateIds) : { carpark: carparkAlone, tenancies: [] },
    Promise.all(accounts.map(({ user }) => deps.tenancies.listByUser(user.userId, { carparkId: query.carparkId, limit: TENANCIES_PER_TENANT }))),
  ]);
  if (!visible(carpark)) throw new NotFoundError('Car park');

  const matched = new Map<string, { tenancy: Tenancy; matched: Set<'plate' | 'email' | 'name'> }>();
  const add = (tenancy: Tenancy, how: 'plate' | 'email' | 'name') => {
    if (tenancy.carparkId !== carpark.carparkId) return;
    const seen = matched.get(tenancy.tenancyId) ?? { tenancy, matched: new Set() };
    seen.matched.add(how);
    matched.set(tenancy.tenancyId, seen);
  };

  for (const t of plated) {
    // A tenancy that moved to another plate is no longer on this one.
    if (platesOnRecord(t).some((p) => foldLookAlikes(p) === folded)) add(t, 'plate');
  }
  pages.forEach((page, i) => {
    if (page.nextCursor) truncated = true;
    for (const t of page.items) add(t, accounts[i]!.how);
  });

  const admin = isAdmin(caller);
  // The accounts matched by email or name are known already; only the plate's tenants are read.
  const known = new Map(accounts.map(({ user }) => [user.userId, user]));
  const unknown = [...new Set([...matched.values()].map((m) => m.tenancy.userId))].filter((id) => !known.has(id));
  const tenants = new Map([...known, ...(unknown.length > 0 ? await deps.users.getMany(unknown) : []).map((u) => [u.userId, u] as const)]);
  const items = [...matched.values()]
    .sort((a, b) => b.tenancy.createdAt.localeCompare(a.tenancy.createdAt))
    .map(({ tenancy, matched: how }): TenancySearchMatch => {
      const user = tenants.get(tenancy.userId);
      return {
        tenancy: admin ? tenancy : asSeenByOperator(tenancy),
        tenant: { userId: tenancy.userId, ...(user ? { name: user.name, ...(admin ? { email: user.email } : {}) } : {}) },
        matched: [...how].sort(),
      };
    });
  return { items, truncated };
}
