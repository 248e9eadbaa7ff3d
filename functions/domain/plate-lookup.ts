/**
 * Plate look-up for operators and admins: which tenancies a plate (as typed, look-alikes
 * tolerated) has, in the caller's car parks (every car park for an admin), with the tenant and
 * whether the plate opens the barrier now. A bounded number of reads: one query of the plate's
 * look-alike key, then one batch read of those tenancies and their tenants.
 */
import { ForbiddenError, ValidationError } from './errors';
import { isAdmin, type Principal } from './identity';
import { foldLookAlikes, normalisePlate, PLATE_LENGTH } from './plates';
import { asSeenByOperator, platesOnRecord, type Tenancy, type TenancyView } from './tenancies';
import type { User } from './users';

/** A tenancy was (or is) on a plate: written with the tenancy and with each plate change. */
export interface PlateSighting {
  readonly folded: string;
  readonly plate: string;
  readonly tenancyId: string;
  readonly operatorId: string;
  readonly carparkId: string;
  /** The tenant: absent on sightings written before they named it. */
  readonly userId?: string;
}

/** Longest plate looked up: longer than the general rule's 8, for the longer recognised formats (Irish). */
export const MAX_LOOKUP_LENGTH = 12;

/** Most tenancies one look-up returns; `truncated` says when there were more. */
export const MAX_PLATE_MATCHES = 100;

/** What a look-up or a search shows of a tenant (never more of the account). */
export type TenantContact = Pick<User, 'userId' | 'name' | 'email'>;

/** The tenant as a caller sees them: the name (when known), and the email for admins only. */
export function tenantSeenBy(admin: boolean, userId: string, contact: { name: string; email?: string } | undefined) {
  return { userId, ...(contact ? { name: contact.name, ...(admin && contact.email !== undefined ? { email: contact.email } : {}) } : {}) };
}

export interface PlateLookupDeps {
  readonly plateSightings: {
    /** Sightings of a folded plate, only an operator's when `operatorId` is given; at most `limit`. */
    find(folded: string, options: { operatorId?: string; limit: number }): Promise<{ items: PlateSighting[]; truncated: boolean }>;
  };
  /** Tenancies and tenants, in one read. */
  readonly tenanciesWithTenants: { get(tenancyIds: readonly string[], userIds: readonly string[]): Promise<{ tenancies: Tenancy[]; tenants: TenantContact[] }> };
  readonly users: { getMany(userIds: readonly string[]): Promise<TenantContact[]> };
}

const unique = (ids: readonly string[]) => [...new Set(ids)];

/**
 * The sightings' tenancies with their tenants (and `alsoTenants`): one read, and a second only for
 * the tenants of sightings written before they named theirs.
 */
export async function sightedTenancies(
  deps: Pick<PlateLookupDeps, 'tenanciesWithTenants' | 'users'>,
  sightings: readonly PlateSighting[],
  alsoTenants: readonly string[] = [],
): Promise<{ tenancies: Tenancy[]; tenants: Map<string, TenantContact> }> {
  const named = new Set([...sightings.flatMap((s) => (s.userId ? [s.userId] : [])), ...alsoTenants]);
  const { tenancies, tenants } = await deps.tenanciesWithTenants.get(unique(sightings.map((s) => s.tenancyId)), [...named]);
  const unnamed = unique(tenancies.map((t) => t.userId)).filter((id) => !named.has(id));
  const more = unnamed.length > 0 ? await deps.users.getMany(unnamed) : [];
  return { tenancies, tenants: new Map([...tenants, ...more].map((u) => [u.userId, u])) };
}

export interface PlateMatch {
  readonly tenancy: TenancyView;
  /** The tenant: name always, email for admins only. */
  readonly tenant: { readonly userId: string; readonly name?: string; readonly email?: string };
  /** The plate is on the barrier's whitelist now. */
  readonly liveAtBarrier: boolean;
  /** The tenancy's plate is exactly the one typed (not only a look-alike of it). */
  readonly exact: boolean;
}

export interface PlateLookupResult {
  readonly plate: string;
  readonly lookAlikeKey: string;
  readonly items: PlateMatch[];
  readonly truncated: boolean;
}

const LIVE_ORDER = ['active', 'cancelling', 'suspended', 'pending', 'scheduled', 'ended', 'failed'];

export async function lookUpPlate(deps: PlateLookupDeps, caller: Principal, raw: string): Promise<PlateLookupResult> {
  if (caller.role === 'tenant') throw new ForbiddenError('Plate look-up is for operators and admins.');
  const plate = normalisePlate(raw);
  // Any plate a tenancy could hold: the look-up only needs its characters, not its format. As typed,
  // a plate is letters and digits with spaces, hyphens or dots between; anything else is not one.
  if (!/^[\p{L}\p{M}0-9 .·-]+$/u.test(raw.trim()) || plate.length < PLATE_LENGTH.min || plate.length > MAX_LOOKUP_LENGTH) {
    throw new ValidationError('The plate is not valid.', [
      { path: 'plate', message: `Type the plate: ${PLATE_LENGTH.min} to ${MAX_LOOKUP_LENGTH} letters and digits, spaces allowed.` },
    ]);
  }
  const folded = foldLookAlikes(plate);
  const admin = isAdmin(caller);
  if (!admin && !caller.operatorId) return { plate, lookAlikeKey: folded, items: [], truncated: false };

  const sightings = await deps.plateSightings.find(folded, { ...(admin ? {} : { operatorId: caller.operatorId! }), limit: MAX_PLATE_MATCHES });
  const sighted = await sightedTenancies(deps, sightings.items);
  const tenancies = sighted.tenancies.filter(
    (t) =>
      (admin || t.operatorId === caller.operatorId) &&
      platesOnRecord(t).some((p) => foldLookAlikes(p) === folded),
  );

  const items = tenancies
    .map((t): PlateMatch => {
      return {
        tenancy: admin ? t : asSeenByOperator(t),
        tenant: tenantSeenBy(admin, t.userId, sighted.tenants.get(t.userId)),
        liveAtBarrier: t.barrier.status === 'registered',
        exact: platesOnRecord(t).includes(plate),
      };
    })
    .sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        LIVE_ORDER.indexOf(a.tenancy.status) - LIVE_ORDER.indexOf(b.tenancy.status) ||
        b.tenancy.createdAt.localeCompare(a.tenancy.createdAt),
    );
  return { plate, lookAlikeKey: folded, items, truncated: sightings.truncated };
}
