/**
 * Daily barrier reconciliation: compares each car park's SmartParking whitelist with the
 * tenancies that should open its barrier, and repairs drift both ways. Drift comes from steps
 * that gave up (SmartParking down for longer than a workflow retries) or from changes made on
 * the barrier system by hand.
 */
import type { BarrierAccess } from './barrier';
import type { Clock } from './clock';
import type { CarparkRepository } from './ports';
import type { Tenancy, TenancyRepository } from './tenancies';

export interface ReconciliationFix {
  readonly carparkId: string;
  readonly siteId: string;
  readonly plate: string;
  readonly action: 'registered' | 'revoked';
  readonly tenancyId?: string;
}

export interface ReconciliationRun {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly carparksChecked: number;
  readonly fixes: readonly ReconciliationFix[];
  /** Sites that could not be checked this time (SmartParking unavailable, ...). */
  readonly errors: readonly { carparkId: string; siteId: string; message: string }[];
}

export interface ReconciliationDeps {
  readonly carparks: Pick<CarparkRepository, 'list'>;
  readonly tenancies: Pick<TenancyRepository, 'liveAtCarpark'>;
  readonly barrier: BarrierAccess;
  readonly runs: { save(run: ReconciliationRun): Promise<void> };
  readonly clock: Clock;
}

/**
 * Tenancies whose plate must be on the whitelist: paid up and not yet ended. Never a suspended
 * one, nor one marked suspended by its arrears (whatever its status says), cancelled or not.
 */
export const opensBarrier = (t: Tenancy): boolean =>
  (t.status === 'active' || t.status === 'cancelling') && t.arrears?.state !== 'suspended' && t.suspendedFrom === undefined;

/**
 * Plates that may be on the whitelist without being required: a setup or plate change in
 * flight registers before it records, so revoking those would race the workflow.
 */
const inFlight = (t: Tenancy): string[] => [
  ...(t.status === 'pending' ? [t.plate] : []),
  ...(t.pendingPlate ? [t.pendingPlate] : []),
];

/**
 * Reconciles per SmartParking site, not per car park: car parks of one operator may share a site
 * (one barrier in front of both), and the site's whitelist is the union of their tenancies.
 */
export async function reconcileBarriers(deps: ReconciliationDeps): Promise<ReconciliationRun> {
  const startedAt = deps.clock.now().toISOString();
  const fixes: ReconciliationFix[] = [];
  const errors: { carparkId: string; siteId: string; message: string }[] = [];
  let carparksChecked = 0;
  let cursor: string | undefined;

  const sites = new Map<string, string[]>();
  do {
    const page = await deps.carparks.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const carpark of page.items) sites.set(carpark.smartParkingSiteId, [...(sites.get(carpark.smartParkingSiteId) ?? []), carpark.carparkId]);
    cursor = page.nextCursor;
  } while (cursor);

  for (const [siteId, carparkIds] of sites) {
    try {
      const [live, whitelist] = await Promise.all([
        Promise.all(carparkIds.map((id) => deps.tenancies.liveAtCarpark(id))).then((lists) => lists.flat()),
        deps.barrier.list(siteId),
      ]);
      const required = new Map(live.filter(opensBarrier).map((t) => [t.plate, t]));
      const tolerated = new Set(live.flatMap(inFlight));
      const listed = new Set(whitelist.map((r) => r.plate));

      for (const [plate, tenancy] of required) {
        if (listed.has(plate)) continue;
        await deps.barrier.register({ siteId, plate, validFrom: tenancy.startDate, validTo: null, reference: tenancy.tenancyId });
        fixes.push({ carparkId: tenancy.carparkId, siteId, plate, action: 'registered', tenancyId: tenancy.tenancyId });
      }
      for (const registration of whitelist) {
        if (required.has(registration.plate) || tolerated.has(registration.plate)) continue;
        await deps.barrier.revoke({ siteId, plate: registration.plate });
        fixes.push({ carparkId: carparkIds[0]!, siteId, plate: registration.plate, action: 'revoked' });
      }
      carparksChecked += carparkIds.length;
    } catch (error) {
      errors.push({ carparkId: carparkIds[0]!, siteId, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const run: ReconciliationRun = {
    runId: `recon-${startedAt}`,
    startedAt,
    finishedAt: deps.clock.now().toISOString(),
    carparksChecked,
    fixes,
    errors,
  };
  await deps.runs.save(run);
  return run;
}
