/**
 * Daily barrier reconciliation: compares each car park's SmartParking whitelist with the
 * tenancies that should open its barrier, and repairs drift both ways. Drift comes from steps
 * that gave up (SmartParking down for longer than a workflow retries) or from changes made on
 * the barrier system by hand.
 */
import type { BarrierAccess } from './barrier';
import type { Clock } from './clock';
import type { CarparkRepository } from './ports';
import { platesOf, removedStillOpen, type Tenancy, type TenancyRepository } from './tenancies';

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
  readonly tenancies: Pick<TenancyRepository, 'liveAtCarpark' | 'get'>;
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

/** Removed plates keep to the end of the period paid for (their own workflow revokes them then). */
const stillPaidFor = (t: Tenancy, now: Date): string[] => (opensBarrier(t) ? removedStillOpen(t, now).map((r) => r.plate) : []);

/**
 * The fix just made is checked against a strongly consistent read of the tenancies it concerns.
 * Suspension and settlement write the tenancy first and change the barrier after, so a change
 * that raced this run is either seen here (and the fix undone) or lands after the fix (and wins).
 */
async function stillOpensBarrier(deps: ReconciliationDeps, tenancies: readonly Tenancy[], plate: string): Promise<Tenancy | undefined> {
  for (const tenancy of tenancies) {
    const fresh = await deps.tenancies.get(tenancy.tenancyId, true);
    if (fresh && platesOf(fresh).includes(plate) && opensBarrier(fresh)) return fresh;
  }
  return undefined;
}

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
      // The whitelist first, then the tenancies: every plate on it was put there after its
      // tenancy was written (pending, then registered), so the later read explains it.
      const whitelist = await deps.barrier.list(siteId);
      const live = (await Promise.all(carparkIds.map((id) => deps.tenancies.liveAtCarpark(id)))).flat();
      const required = new Map(live.filter(opensBarrier).flatMap((t) => platesOf(t).map((plate) => [plate, t] as const)));
      const tolerated = new Set([...live.flatMap(inFlight), ...live.flatMap((t) => stillPaidFor(t, deps.clock.now()))]);
      const listed = new Set(whitelist.map((r) => r.plate));

      for (const [plate, tenancy] of required) {
        if (listed.has(plate)) continue;
        await deps.barrier.register({ siteId, plate, validFrom: tenancy.startDate, validTo: null, reference: tenancy.tenancyId });
        // Suspended meanwhile (its revoke may have run before this register): take it back off.
        if (await stillOpensBarrier(deps, [tenancy], plate)) {
          fixes.push({ carparkId: tenancy.carparkId, siteId, plate, action: 'registered', tenancyId: tenancy.tenancyId });
        } else {
          await deps.barrier.revoke({ siteId, plate });
        }
      }
      for (const registration of whitelist) {
        const plate = registration.plate;
        if (required.has(plate) || tolerated.has(plate)) continue;
        await deps.barrier.revoke({ siteId, plate });
        // Settled meanwhile (its register may have run before this revoke): put it back.
        const holders = live.filter((t) => platesOf(t).includes(plate));
        const reinstated = await stillOpensBarrier(deps, holders, plate);
        if (reinstated) {
          await deps.barrier.register({ siteId, plate, validFrom: reinstated.startDate, validTo: null, reference: reinstated.tenancyId });
        } else {
          fixes.push({ carparkId: carparkIds[0]!, siteId, plate, action: 'revoked' });
        }
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
