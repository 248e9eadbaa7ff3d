/**
 * The sweeper: no tenancy stays half-done. `POST /tenancies` writes the tenancy, then starts its
 * setup workflow; a cancellation marks the tenancy, then starts its workflow. If the start is
 * lost (the function died between the two, Step Functions refused) or the execution itself was
 * lost, the tenancy would stay `pending` (holding a space, a plate claim and a billed unit),
 * `scheduled` past its start date, or never end. Every few minutes the sweeper finds tenancies left past a deadline and starts
 * their workflow again. Every workflow step is idempotent, so a resumed workflow converges
 * (setup ends active or failed and rolled back; cancellation ends the tenancy) from wherever the
 * lost one stopped. Execution names are derived from the tenancy and the state it was found
 * in, so sweeping the same stuck state twice starts one execution, not two.
 */
import type { Clock } from './clock';
import type { CarparkRepository } from './ports';
import type { Tenancy, TenancyRepository } from './tenancies';

/** Longer than any setup takes with every retry (minutes), short enough that nobody waits long. */
export const SWEEP_AFTER_MS = 15 * 60 * 1000;

export interface WorkflowResumer {
  /**
   * Starts the tenancy's setup (or cancellation) unless it was started already; a second start
   * for the same `stateKey` is a no-op. Returns whether an execution was started now.
   */
  resume(
    kind: 'setup' | 'cancellation',
    tenancyId: string,
    stateKey: string,
    /**
     * The cancellation to resume; a scheduled tenancy's start, which its setup waits for; when
     * the sweeper found a first charge still unauthenticated past its deadline.
     */
    more?: { cancellationId?: string; startsAt?: string; authenticationExpiredAt?: string },
  ): Promise<boolean>;
  /** Starts the setup again once the invoice its first charge waited on is paid; once per invoice. */
  continueSetup(tenancyId: string, invoiceId: string): Promise<boolean>;
  /**
   * Starts a plate change again: the plate being added or changed to, or (with `removedUntil`) a
   * removed plate's revocation at the end of its paid period. Once per `stateKey`.
   */
  resumePlateChange(tenancyId: string, plate: string, stateKey: string, removedUntil?: string): Promise<boolean>;
}

export interface SweepDeps {
  readonly carparks: Pick<CarparkRepository, 'list'>;
  readonly tenancies: Pick<TenancyRepository, 'liveAtCarpark'>;
  readonly workflows: WorkflowResumer;
  readonly clock: Clock;
}

export interface SweepResult {
  readonly resumed: readonly { tenancyId: string; kind: 'setup' | 'cancellation' | 'plate change' }[];
}

/** What a tenancy left past its deadline is waiting for, if anything. */
export interface SweepOptions {
  readonly afterMs?: number;
  /** Every execution is known to be gone (the twin restarted): resume every unfinished tenancy now. */
  readonly executionsLost?: boolean;
}

export function stuck(t: Tenancy, now: number, options: SweepOptions = {}): 'setup' | 'cancellation' | undefined {
  const afterMs = options.executionsLost ? 0 : (options.afterMs ?? SWEEP_AFTER_MS);
  const quiet = now - Date.parse(t.updatedAt) >= afterMs;
  // Waiting (no execution) for the tenant to authenticate its first charge: only the deadline,
  // or a restart that lost everything, sends it back to its setup.
  if (t.status === 'pending' && t.awaitingAuthentication) {
    return options.executionsLost || now >= Date.parse(t.awaitingAuthentication.until) ? 'setup' : undefined;
  }
  if (t.status === 'pending' && quiet) return 'setup';
  // A scheduled tenancy's setup waits (running) until its start date: lost only once past it.
  if (t.status === 'scheduled' && (options.executionsLost || now - Date.parse(t.startDate) >= afterMs)) return 'setup';
  const cancelled = t.status === 'cancelling' || (t.status === 'suspended' && t.suspendedFrom === 'cancelling');
  // A cancellation waits (running) until its end date: only one past it, or never dated, is lost.
  if (cancelled && quiet && (options.executionsLost || !t.endsAt || now - Date.parse(t.endsAt) >= afterMs)) return 'cancellation';
  return undefined;
}

/**
 * Plate changes left undone: a plate being added or changed to whose workflow is past any retry
 * (its start was lost), and removed plates still on the tenancy well after their paid period
 * ended (their revocation's start was lost). A lost revocation waiting for a later date is found
 * only once that date has passed, or at once when every execution is known lost.
 */
export function stuckPlateChanges(t: Tenancy, now: number, options: SweepOptions = {}): { plate: string; stateKey: string; removedUntil?: string }[] {
  const afterMs = options.executionsLost ? 0 : (options.afterMs ?? SWEEP_AFTER_MS);
  const changes: { plate: string; stateKey: string; removedUntil?: string }[] = [];
  if (t.pendingPlate && now - Date.parse(t.updatedAt) >= afterMs) changes.push({ plate: t.pendingPlate, stateKey: `pending-${Date.parse(t.updatedAt)}` });
  for (const removed of t.retiredPlates ?? []) {
    if (options.executionsLost || now - Date.parse(removed.until) >= afterMs) {
      changes.push({ plate: removed.plate, stateKey: `removed-${Date.parse(removed.until)}`, removedUntil: removed.until });
    }
  }
  return changes;
}

export async function sweepTenancies(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepResult> {
  const now = deps.clock.now().getTime();
  const resumed: { tenancyId: string; kind: 'setup' | 'cancellation' | 'plate change' }[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.carparks.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const carpark of page.items) {
      for (const tenancy of await deps.tenancies.liveAtCarpark(carpark.carparkId)) {
        for (const change of stuckPlateChanges(tenancy, now, options)) {
          if (await deps.workflows.resumePlateChange(tenancy.tenancyId, change.plate, change.stateKey, change.removedUntil)) {
            resumed.push({ tenancyId: tenancy.tenancyId, kind: 'plate change' });
          }
        }
        const kind = stuck(tenancy, now, options);
        if (!kind) continue;
        const expired = tenancy.awaitingAuthentication && now >= Date.parse(tenancy.awaitingAuthentication.until);
        const more = {
          ...(tenancy.cancellationId ? { cancellationId: tenancy.cancellationId } : {}),
          ...(tenancy.status === 'scheduled' ? { startsAt: tenancy.startDate } : {}),
          ...(expired ? { authenticationExpiredAt: new Date(now).toISOString() } : {}),
        };
        const stateKey = expired ? `unauthenticated-${Date.parse(tenancy.awaitingAuthentication!.until)}` : String(Date.parse(tenancy.updatedAt));
        if (await deps.workflows.resume(kind, tenancy.tenancyId, stateKey, more)) {
          resumed.push({ tenancyId: tenancy.tenancyId, kind });
        }
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { resumed };
}

/**
 * A first charge the tenant authenticated is paid (`invoice.paid`): the setups that were waiting
 * for that invoice start again and, finding nothing left to confirm, go on to the barrier. The
 * event is only a nudge: each resumed setup reads Stripe for itself.
 */
export async function resumeAuthenticatedSetups(
  deps: {
    readonly payments: { userForCustomer(customerId: string): Promise<string | undefined> };
    readonly tenancies: Pick<TenancyRepository, 'allOfUser'>;
    readonly workflows: WorkflowResumer;
  },
  invoice: { invoiceId: string; customerId: string },
): Promise<{ resumed: string[] }> {
  const userId = await deps.payments.userForCustomer(invoice.customerId);
  if (!userId) return { resumed: [] };
  const waiting = (await deps.tenancies.allOfUser(userId)).filter(
    (t) => t.status === 'pending' && t.awaitingAuthentication?.invoiceId === invoice.invoiceId,
  );
  for (const tenancy of waiting) await deps.workflows.continueSetup(tenancy.tenancyId, invoice.invoiceId);
  return { resumed: waiting.map((t) => t.tenancyId) };
}
