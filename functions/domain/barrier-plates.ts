/**
 * A tenancy's plates on and off its barrier. Registering: each plate with the tenancy's start and
 * reference. Revoking, without shutting anyone out: a tenancy's claim on a plate is what keeps any
 * other tenancy at that barrier from registering it. A plate the tenancy still claims is
 * its own to revoke; one it gave up (the old plate of a change, a removed plate, an ended
 * tenancy's) may be claimed and registered by another tenancy at any moment, so it is revoked only
 * while held for the revocation: a short-lived claim nobody else can take meanwhile.
 */
import type { BarrierAccess, PlateRegistration } from './barrier';
import { claimedPlates, isLive, platesOf, type Tenancy, type TenancyRepository } from './tenancies';

export interface PlateRevocationDeps {
  readonly tenancies: Pick<TenancyRepository, 'holdForRevocation' | 'endRevocationHold'>;
  readonly barrier: Pick<BarrierAccess, 'revoke'>;
}

/** Revokes a plate nobody claims, holding it meanwhile; false (left alone) when a live tenancy claims it. */
export async function revokeUnclaimed(deps: PlateRevocationDeps, tenancy: Tenancy, siteId: string, plate: string): Promise<boolean> {
  if (!(await deps.tenancies.holdForRevocation(tenancy, plate))) return false;
  try {
    await deps.barrier.revoke({ siteId, plate });
  } finally {
    await deps.tenancies.endRevocationHold(tenancy, plate);
  }
  return true;
}

/**
 * Revokes a plate of the tenancy as it is now: outright while it still claims it, under a hold
 * once it gave it up. False when the plate was left to the tenancy that claims it now.
 */
export async function revokePlateOf(deps: PlateRevocationDeps, tenancy: Tenancy, siteId: string, plate: string): Promise<boolean> {
  if (isLive(tenancy.status) && claimedPlates(tenancy).includes(plate)) {
    await deps.barrier.revoke({ siteId, plate });
    return true;
  }
  return revokeUnclaimed(deps, tenancy, siteId, plate);
}

/** Whitelists the tenancy's plates (all of them unless named) from its start; the last registration. */
export async function registerPlates(
  barrier: Pick<BarrierAccess, 'register'>,
  siteId: string,
  tenancy: Pick<Tenancy, 'plate' | 'extraPlates' | 'startDate' | 'tenancyId'>,
  plates: readonly string[] = platesOf(tenancy),
): Promise<PlateRegistration | undefined> {
  let last: PlateRegistration | undefined;
  for (const plate of plates) last = await barrier.register({ siteId, plate, validFrom: tenancy.startDate, validTo: null, reference: tenancy.tenancyId });
  return last;
}
