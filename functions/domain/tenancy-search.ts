/**
 * Finding a car park's tenancies by what an operator has in hand: a plate (look-alikes tolerated,
 * as in the plate look-up), the start of the tenant's email, or the start of their name (not for
 * what has a digit or an @ in it). Bounded reads:
 * - what looks like a plate: one query of the plate at the car park, which reads the tenancies
 *   whose first plate it is whole, with their tenant's name. A second read (one batch) only for
 *   tenancies that hold it otherwise (another of their plates, one being changed to or removed)
 *   or held it once, and for tenants whose name is not kept or whose email an admin sees. When
 *   none has the plate now, what was typed is looked for as the start of an email, as below.
 * - otherwise: the accounts by email and by name (at most MAX_TENANTS_MATCHED each) beside the car
 *   park, then one query per matching account of its tenancies at the car park.
 * `truncated` when more matched.
 */
import type { UserDirectory } from './user-directory';
import { NotFoundError, ValidationError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import { sightedTenancies, tenantSeenBy, type PlateLookupDeps, type PlateSighting } from './plate-lookup';
import { foldLookAlikes, normalisePlate, PLATE_LENGTH } from './plates';
import type { CarparkRepository } from './ports';
import { asSeenByOperator, platesOnRecord, type Tenancy, type TenancyRepository, type TenancyView } from './tenancies';
import { normaliseEmail } from './users';

/** Accounts matched by email, and by name, per search. */
export const MAX_TENANTS_MATCHED = 10;
/** Tenancies of one account at one car park read per search. */
const TENANCIES_PER_TENANT = 25;
/** Tenancies and sightings of a plate read per search. */
const PLATE_ITEMS = 100;

/** A plate at a car park: the tenancies whose first plate it is, and the sightings of any that has held it. */
export interface PlatesAtCarpark {
  find(
    carparkId: string,
    folded: string,
    options: { limit: number },
  ): Promise<{ tenancies: { tenancy: Tenancy; tenantName?: string | undefined }[]; sightings: PlateSighting[]; truncated: boolean }>;
}

export interface TenancySearchDeps extends Pick<PlateLookupDeps, 'tenanciesWithTenants' | 'users'> {
  readonly plates: PlatesAtCarpark;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly tenancies: Pick<TenancyRepository, 'listByUser'>;
  readonly directory: UserDirectory;
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
  const byPlate = looksLikePlate(q) ? await searchByPlate(deps, caller, query.carparkId, foldLookAlikes(normalisePlate(q))) : undefined;
  if (byPlate && byPlate.items.length > 0) return byPlate;
  const byAccount = await searchByAccount(deps, caller, query.carparkId, q);
  // More of the plate than was read: a tenancy of the car park on it may be among those left.
  return { ...byAccount, truncated: byAccount.truncated || (byPlate?.truncated ?? false) };
}

/** The car park's tenancies on the plate (or a look-alike of it) now. */
async function searchByPlate(deps: TenancySearchDeps, caller: Principal, carparkId: string, folded: string) {
  const found = await deps.plates.find(carparkId, folded, { limit: PLATE_ITEMS });
  // A car park's tenancies are its operator's: what was found says whose without reading the car park.
  const operatorId = found.tenancies[0]?.tenancy.operatorId ?? found.sightings[0]?.operatorId;
  if (operatorId === undefined) return { items: [], truncated: found.truncated };
  if (!canManageOperator(caller, operatorId)) throw new NotFoundError('Car park');
  const admin = isAdmin(caller);
  const firstPlateOf = new Set(found.tenancies.map(({ tenancy }) => tenancy.tenancyId));
  // Tenancies that hold the plate otherwise, or held it once: read to compare their plates now.
  const heldOtherwise = found.sightings.filter((s) => !firstPlateOf.has(s.tenancyId));
  // Names are kept on the tenancies; an admin also sees the email, which is not.
  const unnamed = found.tenancies.filter(({ tenantName }) => admin || tenantName === undefined).map(({ tenancy }) => tenancy.userId);
  const tenants = new Map<string, { name: string; email?: string }>();
  for (const { tenancy, tenantName } of found.tenancies) if (tenantName !== undefined) tenants.set(tenancy.userId, { name: tenantName });
  let tenancies = found.tenancies.map(({ tenancy }) => tenancy);
  if (heldOtherwise.length > 0 || unnamed.length > 0) {
    const read = await sightedTenancies(deps, heldOtherwise, unnamed);
    tenancies = [...tenancies, ...read.tenancies];
    for (const [userId, contact] of read.tenants) tenants.set(userId, contact);
  }
  // A tenancy that moved to another plate is no longer on this one.
  const onPlate = tenancies.filter((t) => t.carparkId === carparkId && platesOnRecord(t).some((p) => foldLookAlikes(p) === folded));
  return { items: asMatches(caller, onPlate.map((tenancy) => ({ tenancy, matched: ['plate' as const] })), tenants), truncated: found.truncated };
}

async function searchByAccount(deps: TenancySearchDeps, caller: Principal, carparkId: string, q: string) {
  const [byEmail, byName, carpark] = await Promise.all([
    deps.directory.search({ by: 'email', prefix: normaliseEmail(q), limit: MAX_TENANTS_MATCHED + 1 }),
    // Names have no digits or @: a plate or an email is not looked for among them.
    /\d/.test(q) || q.includes('@') ? { items: [] } : deps.directory.search({ by: 'name', prefix: q, limit: MAX_TENANTS_MATCHED + 1 }),
    deps.carparks.get(carparkId),
  ]);
  // Nothing found is shown unless the car park is the caller's.
  if (!carpark || !canManageOperator(caller, carpark.operatorId)) throw new NotFoundError('Car park');
  let truncated = byEmail.items.length > MAX_TENANTS_MATCHED || byName.items.length > MAX_TENANTS_MATCHED;
  const accounts = [
    ...byEmail.items.slice(0, MAX_TENANTS_MATCHED).map((u) => ({ user: u, how: 'email' as const })),
    ...byName.items.slice(0, MAX_TENANTS_MATCHED).map((u) => ({ user: u, how: 'name' as const })),
  ];
  const pages = await Promise.all(accounts.map(({ user }) => deps.tenancies.listByUser(user.userId, { carparkId, limit: TENANCIES_PER_TENANT })));
  const matched = new Map<string, { tenancy: Tenancy; matched: Set<'email' | 'name'> }>();
  pages.forEach((page, i) => {
    if (page.nextCursor) truncated = true;
    for (const tenancy of page.items) {
      if (tenancy.carparkId !== carparkId) continue;
      const seen = matched.get(tenancy.tenancyId) ?? { tenancy, matched: new Set() };
      seen.matched.add(accounts[i]!.how);
      matched.set(tenancy.tenancyId, seen);
    }
  });
  const tenants = new Map(accounts.map(({ user }) => [user.userId, user]));
  return { items: asMatches(caller, [...matched.values()].map((m) => ({ tenancy: m.tenancy, matched: [...m.matched] })), tenants), truncated };
}

/** Newest first; the tenant's name for operators, and email too for admins. */
function asMatches(
  caller: Principal,
  found: readonly { tenancy: Tenancy; matched: readonly ('plate' | 'email' | 'name')[] }[],
  tenants: ReadonlyMap<string, { name: string; email?: string }>,
): TenancySearchMatch[] {
  const admin = isAdmin(caller);
  return [...found]
    .sort((a, b) => b.tenancy.createdAt.localeCompare(a.tenancy.createdAt))
    .map(({ tenancy, matched }) => ({
      tenancy: admin ? tenancy : asSeenByOperator(tenancy),
      tenant: tenantSeenBy(admin, tenancy.userId, tenants.get(tenancy.userId)),
      matched: [...matched].sort(),
    }));
}
