/**
 * "Push to the barrier" for operators and admins: puts one tenancy's plate back on its car park's
 * SmartParking whitelist (or takes it off, for a suspended tenancy) now, instead of waiting for
 * the daily reconciliation — for a tenant at the barrier whose plate the barrier lost.
 */
import type { BarrierAccess } from './barrier';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { isAdmin, type Principal } from './identity';
import type { CarparkRepository } from './ports';
import { opensBarrier } from './reconciliation';
import { platesOf, type TenancyRepository } from './tenancies';
import { registerPlates } from './barrier-plates';
import { sourceOf } from './tenancy-timeline';

export interface BarrierPushDeps {
  readonly tenancies: Pick<TenancyRepository, 'get' | 'transition'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly barrier: BarrierAccess;
  readonly clock: Clock;
}

export interface BarrierPushResult {
  readonly tenancyId: string;
  readonly plate: string;
  readonly siteId: string;
  readonly action: 'registered' | 'revoked';
  readonly at: string;
}

export async function pushToBarrier(deps: BarrierPushDeps, caller: Principal, tenancyId: string): Promise<BarrierPushResult> {
  if (caller.role === 'tenant') throw new ForbiddenError('Pushing a plate to the barrier is for operators and admins.');
  // Strongly consistent: the decision must follow a suspension or settlement written just before.
  const tenancy = await deps.tenancies.get(tenancyId, true);
  if (!tenancy || (!isAdmin(caller) && tenancy.operatorId !== caller.operatorId)) throw new NotFoundError('Tenancy');
  if (tenancy.status === 'pending' || tenancy.status === 'scheduled' || tenancy.pendingPlate) {
    throw new ConflictError('tenancy_busy', 'This tenancy is being set up or is changing plate: its own workflow updates the barrier.');
  }
  if (tenancy.status !== 'active' && tenancy.status !== 'cancelling' && tenancy.status !== 'suspended') {
    // Its plate claim is given back: another tenancy may hold the plate now, so nothing is revoked here.
    throw new ConflictError('tenancy_over', 'This tenancy has ended: its plate came off the barrier then, and the daily reconciliation removes any left behind.');
  }
  let siteId = tenancy.siteId;
  if (!siteId) {
    const carpark = await deps.carparks.get(tenancy.carparkId);
    if (!carpark) throw new NotFoundError('Car park');
    siteId = carpark.smartParkingSiteId;
  }
  // Live but suspended (or marked so by its arrears): kept out.
  const registering = opensBarrier(tenancy);
  // Every plate of the tenancy (removed ones keep their own course to the end of their period).
  if (registering) await registerPlates(deps.barrier, siteId, tenancy);
  else for (const plate of platesOf(tenancy)) await deps.barrier.revoke({ siteId, plate });
  const at = deps.clock.now().toISOString();
  await deps.tenancies.transition(
    tenancy.tenancyId,
    [tenancy.status],
    { barrier: { status: registering ? 'registered' : 'revoked', changedAt: at }, updatedAt: at },
    { kind: registering ? 'plate_registered' : 'plate_revoked', source: sourceOf(caller), detail: { plate: tenancy.plate } },
  );
  return { tenancyId: tenancy.tenancyId, plate: tenancy.plate, siteId, action: registering ? 'registered' : 'revoked', at };
}
