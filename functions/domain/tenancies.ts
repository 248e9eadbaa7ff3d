/**
 * Tenancies: a tenant's right to park one vehicle at one car park, paid monthly.
 *
 *   scheduled ──> pending ──> active ──> cancelling ──> ended
 *       │            │          │  ^
 *       v            v          v  │
 *     ended        failed     suspended (an invoice left unpaid after the dunning grace period)
 *
 * A tenancy starting on a later day is `scheduled` until then: it holds its space and its
 * plate's claim, but nothing is billed and the barrier does not know the plate. On its start
 * date the setup workflow counts it for billing (`pending`) and sets it up as any other.
 * Cancelled before then, it ends at once.
 *
 * A suspended tenancy keeps its space but not its plate on the barrier; it goes back to what it
 * was (active or cancelling) when the arrears are settled, or ends with its cancellation.
 * A cancellation can be undone until it has ended the tenancy: cancelling goes back to active
 * (or to suspended, when the tenancy was suspended before or while it was cancelling).
 *
 * A tenancy holds a space (the car park's `occupied` counter) and its plate's claim at that car
 * park from the moment it is created, and one unit of its Stripe price's quantity from its start
 * (creation, or the start date of a scheduled one), until it ends or fails; the transaction
 * that ends it gives back what it holds, exactly once.
 */
import type { VehicleType } from './carparks';
import { ConflictError } from './errors';
import type { TimelineNote } from './tenancy-timeline';

export const TENANCY_STATUSES = ['scheduled', 'pending', 'active', 'cancelling', 'suspended', 'ended', 'failed'] as const;
export type TenancyStatus = (typeof TENANCY_STATUSES)[number];

/** Statuses that hold a space and a plate claim (and, all but `scheduled`, a billed quantity). */
export const LIVE_STATUSES: readonly TenancyStatus[] = ['scheduled', 'pending', 'active', 'cancelling', 'suspended'];

/** How far ahead a tenancy may start: its setup workflow waits until then (well within a year). */
export const MAX_START_AHEAD_DAYS = 180;
export const isLive = (status: TenancyStatus): boolean => LIVE_STATUSES.includes(status);

export const BARRIER_STATUSES = ['pending', 'registered', 'revoked'] as const;
export type BarrierStatus = (typeof BARRIER_STATUSES)[number];

/** Most plates one tenancy may have, whatever a car park allows. */
export const MAX_PLATES_PER_TENANCY = 3;

export interface RetiredPlate {
  readonly plate: string;
  /** The end of the period paid for when it was removed: revoked then. */
  readonly until: string;
}

/** The plates a tenancy holds, its first plate first (not a plate being added). */
export const platesOf = (t: Pick<Tenancy, 'plate' | 'extraPlates'>): string[] => [t.plate, ...(t.extraPlates ?? [])];

/** Removed plates still in the period paid for: they open the barrier until then. */
export const removedStillOpen = (t: Pick<Tenancy, 'retiredPlates'>, now: Date): RetiredPlate[] =>
  (t.retiredPlates ?? []).filter((r) => Date.parse(r.until) > now.getTime());

/** An active tenancy, or ConflictError `tenancy_not_active`: only an active tenancy changes its plates or vehicle. */
export function assertActive(t: Pick<Tenancy, 'status'>): void {
  if (t.status !== 'active') throw new ConflictError('tenancy_not_active', `Only an active tenancy can be changed; this one is ${t.status}.`);
}

/** Plates whose claim at the barrier this tenancy holds (while it is live). */
export const claimedPlates = (t: Pick<Tenancy, 'plate' | 'extraPlates' | 'pendingPlate'>): string[] => [
  ...platesOf(t),
  ...(t.pendingPlate ? [t.pendingPlate] : []),
];

/**
 * Every plate the tenancy answers for in a look-up: its plates, one being added or changed to, and
 * removed ones not yet revoked (forgotten once they are).
 */
export const platesOnRecord = (t: Pick<Tenancy, 'plate' | 'extraPlates' | 'pendingPlate' | 'retiredPlates'>): string[] => [
  ...new Set([...claimedPlates(t), ...(t.retiredPlates ?? []).map((r) => r.plate)]),
];

/** The tenant's unpaid invoice, stamped on each live tenancy so operators see it where they look. */
export interface TenancyArrears {
  readonly state: 'overdue' | 'suspended';
  readonly invoiceId: string;
  /** When the invoice fell due. */
  readonly since: string;
  readonly amountDue: number;
  readonly currency: string;
}

export interface Tenancy {
  readonly tenancyId: string;
  readonly userId: string;
  readonly carparkId: string;
  readonly operatorId: string;
  /**
   * The SmartParking site whose barrier opens for it (its car park's, when it was created): its
   * plate is claimed per site, so car parks sharing a site never hold the same plate twice.
   * Absent on tenancies created before sites were owned (their plates are claimed per car park).
   */
  readonly siteId?: string;
  readonly vehicleType: VehicleType;
  /** The tenancy's first plate: named in emails and lists. */
  readonly plate: string;
  /**
   * Further vehicles on the same space (a household's second car), up to the car park's
   * `platesPerTenancy` in all. Each is claimed at the barrier and whitelisted like `plate`;
   * billing stays one space.
   */
  readonly extraPlates?: readonly string[];
  /**
   * Plates the tenant removed: still whitelisted until the end of the period paid for (`until`),
   * then revoked unless another live tenancy at the barrier has claimed them meanwhile. Their
   * claims are given up when they are removed.
   */
  readonly retiredPlates?: readonly RetiredPlate[];
  readonly status: TenancyStatus;
  /** Why setup failed, in words the tenant can act on. */
  readonly failureReason?: string;
  /** First day of parking (ISO date-time). */
  readonly startDate: string;
  /** The Stripe price this tenancy is billed on, kept when the car park's price changes later. */
  readonly priceId: string;
  /** Monthly amount in minor units, as priced when the tenancy was created. */
  readonly monthlyAmount: number;
  readonly currency: string;
  readonly barrier: {
    readonly status: BarrierStatus;
    readonly changedAt: string;
  };
  /** When a cancelled tenancy's access ends (end of the paid period). */
  readonly endsAt?: string;
  /**
   * When the tenancy is next billed: the end of the period paid for (its Stripe subscription's
   * current period end), recorded at activation and moved on by each paid invoice. A cancelling
   * tenancy is not renewed: it ends at `endsAt` (this stays, for an undone cancellation).
   */
  readonly renewsAt?: string;
  /**
   * A plate change in flight: registered before the old plate is revoked. With `addingPlate`, a
   * further plate being added (nothing is revoked); otherwise it replaces `plate`.
   */
  readonly pendingPlate?: string;
  readonly addingPlate?: boolean;
  /** During a vehicle type change: what it was, to put back if the new price cannot be paid. */
  readonly previousVehicle?: { readonly vehicleType: VehicleType; readonly priceId: string; readonly monthlyAmount: number };
  /** Present while the tenant has an unpaid invoice. */
  readonly arrears?: TenancyArrears;
  /** While suspended: the status to go back to when the arrears are settled. */
  readonly suspendedFrom?: 'active' | 'cancelling';
  /**
   * While pending: the bank wants the first charge authenticated (3-D Secure). The invoice to
   * confirm in the portal, and until when; unconfirmed by then, the setup is undone. `withdrawn`:
   * the tenant cancelled it instead (the deadline is then brought forward to that moment).
   */
  readonly awaitingAuthentication?: { readonly invoiceId: string; readonly until: string; readonly withdrawn?: boolean };
  /**
   * While a cancellation is pending (cancelling, or suspended from cancelling): its id, which its
   * workflow carries. Undoing the cancellation removes it, so that workflow can no longer end the
   * tenancy, even if it reaches its end step.
   */
  readonly cancellationId?: string;
  /**
   * The car park's price changed while this tenancy lasted: it moved onto the new price (priceId,
   * monthlyAmount) and pays it `from` its next renewal (a scheduled one, from its start).
   * `notifiedAt`: when the tenant was emailed about it (absent until then, so a rerun sends it).
   */
  readonly priceChange?: {
    readonly previousPriceId: string;
    readonly previousAmount: number;
    readonly from: string;
    readonly at: string;
    readonly notifiedAt?: string;
  };
  /**
   * The moment the tenant was shown what this rental or vehicle change charges (a quote): Stripe
   * prorates the change from then, so the charge is the amount shown.
   */
  readonly quotedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * The tenancy as someone other than its tenant or an admin sees it: an operator sees that the
 * tenant is in arrears and since when, not the tenant's invoice (which may cover other operators'
 * car parks).
 */
export function asSeenByOperator(tenancy: Tenancy): TenancyView {
  // The invoice being authenticated is the tenant's too.
  const { awaitingAuthentication: _invoice, ...seen } = tenancy;
  if (!seen.arrears) return seen;
  const { state, since } = seen.arrears;
  return { ...seen, arrears: { state, since } };
}

/** A tenancy as the API shows it: arrears in full to the tenant and admins, state and date to operators. */
export type TenancyView = Omit<Tenancy, 'arrears'> & {
  readonly arrears?: Pick<TenancyArrears, 'state' | 'since'> & Partial<TenancyArrears>;
};

/** A tenancy as a person sees it in a list or on its page: with its tenant's name, as the tenancy keeps it (absent on one from before names were kept). */
export type ListedTenancy = Tenancy & { readonly tenantName?: string };

/** A listed tenancy as its operator sees it (`asSeenByOperator`), the name kept. */
export const listedAsSeenByOperator = ({ tenantName, ...tenancy }: ListedTenancy): TenancyView & { readonly tenantName?: string } => ({
  ...asSeenByOperator(tenancy),
  ...(tenantName === undefined ? {} : { tenantName }),
});

export interface TenancyPageQuery {
  readonly status?: TenancyStatus;
  /** Only this car park's (a tenant's own list narrowed to one car park). */
  readonly carparkId?: string;
  /** Only tenancies whose tenant has an unpaid invoice (`arrears` stamped). */
  readonly inArrears?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Each change takes an optional timeline note: the event it records, written in the same
 * transaction (see tenancy-timeline.ts).
 */
export interface TenancyRepository {
  /**
   * Creates a pending (or scheduled) tenancy and, atomically with it, takes a space of its
   * vehicle type at the car park, claims its plate there and, unless it is scheduled, counts it
   * on its price's billing line. ConflictError `carpark_full` or `plate_in_use` when the space or
   * the plate is taken. `tenantName` is kept with it, so a search by plate names the tenant
   * without reading them.
   */
  reserve(tenancy: Tenancy, note?: TimelineNote, tenantName?: string): Promise<void>;
  /**
   * Starts a scheduled tenancy: `pending`, counted on its price's billing line, in one
   * transaction. Undefined when it is not scheduled any more (begun already, or cancelled).
   */
  begin(tenancy: Tenancy, now: string, note?: TimelineNote): Promise<Tenancy | undefined>;
  /**
   * Ends a scheduled tenancy before its start: gives back its space and plate claim (it was never
   * billed) in one transaction. Undefined when it is not scheduled any more.
   */
  withdraw(tenancy: Tenancy, now: string, note?: TimelineNote): Promise<Tenancy | undefined>;
  get(tenancyId: string, consistent?: boolean): Promise<Tenancy | undefined>;
  /** The tenancy with its tenant's name as it keeps it, to show a person (GET /tenancies/{id}). */
  getListed(tenancyId: string): Promise<ListedTenancy | undefined>;
  listByUser(userId: string, query: TenancyPageQuery): Promise<{ items: Tenancy[]; nextCursor?: string }>;
  listByCarpark(carparkId: string, query: TenancyPageQuery): Promise<{ items: ListedTenancy[]; nextCursor?: string }>;
  /** Every tenancy at a car park that holds a space (for reconciliation). */
  liveAtCarpark(carparkId: string): Promise<Tenancy[]>;
  /** Every tenancy of a tenant, newest first (consumers and workflow steps; never on a request path). */
  allOfUser(userId: string): Promise<Tenancy[]>;
  /** Applies changes if the status is one of `from`; returns the updated tenancy, or undefined. */
  transition(
    tenancyId: string,
    from: readonly TenancyStatus[],
    changes: Partial<Tenancy> & { updatedAt: string },
    note?: TimelineNote,
  ): Promise<Tenancy | undefined>;
  /**
   * Ends a live tenancy (`ended` or `failed`) and gives back its space, plate claim and billed
   * quantity, all in one transaction: false if it was not in `from` any more (already released).
   */
  release(
    tenancy: Tenancy,
    from: readonly TenancyStatus[],
    to: 'ended' | 'failed',
    changes: Partial<Tenancy> & { updatedAt: string },
    /** Only while this cancellation is still the tenancy's pending one. */
    guard?: { cancellationId: string },
    note?: TimelineNote,
  ): Promise<boolean>;
  /**
   * Undoes a pending cancellation: from exactly the status and cancellation read, to `to`
   * (active, or suspended back to being active), forgetting the end date. False when the
   * tenancy changed meanwhile (ended, re-cancelled, suspended, reinstated).
   */
  undoCancellation(tenancy: Tenancy, to: Pick<Tenancy, 'status' | 'suspendedFrom'>, now: string, note?: TimelineNote): Promise<Tenancy | undefined>;
  /**
   * Suspends an active or cancelling tenancy for the unpaid invoice, only while those arrears are
   * still recorded and not settled (checked in the same transaction): false otherwise.
   */
  suspendForArrears(tenancy: Tenancy, arrears: TenancyArrears, now: string, note?: TimelineNote): Promise<boolean>;
  /** Claims the new plate and records it as pending on an active tenancy. */
  startPlateChange(tenancy: Tenancy, newPlate: string, now: string, note?: TimelineNote): Promise<void>;
  /** Makes the pending plate the plate and frees the old plate's claim. */
  commitPlateChange(tenancy: Tenancy, now: string, note?: TimelineNote): Promise<Tenancy | undefined>;
  /** Drops the pending plate and its claim. */
  abortPlateChange(tenancy: Tenancy, now: string, note?: TimelineNote): Promise<void>;
  /**
   * Claims a further plate and records it as being added to an active tenancy (committed like a
   * plate change); `cutShort`: a removed plate whose time ends now, to make room under the limit.
   * ConflictError `plate_in_use`, or `tenancy_busy` when the tenancy is not active, has a change
   * in flight, or changed since it was read.
   */
  startPlateAddition(tenancy: Tenancy, plate: string, now: string, note?: TimelineNote, cutShort?: string): Promise<void>;
  /**
   * Takes a plate off an active tenancy in one transaction: its claim given up and the plate kept
   * whitelisted `until` (a retired plate). Only from the plates read, with no change in flight;
   * ConflictError `tenancy_busy` otherwise.
   */
  removePlate(tenancy: Tenancy, plate: string, until: string, now: string, note?: TimelineNote): Promise<Tenancy>;
  /**
   * Holds a plate nobody claims while it is revoked at the barrier, so no tenancy can claim (and
   * register) it meanwhile; the hold lapses by itself after a few minutes. False when a live tenancy
   * claims it.
   */
  holdForRevocation(tenancy: Pick<Tenancy, 'tenancyId' | 'carparkId' | 'siteId'>, plate: string): Promise<boolean>;
  /** Ends the hold above. */
  endRevocationHold(tenancy: Pick<Tenancy, 'tenancyId' | 'carparkId' | 'siteId'>, plate: string): Promise<void>;
  /** Forgets a retired plate once it is revoked (or claimed again). */
  forgetRetiredPlate(tenancyId: string, plate: string, now: string, note?: TimelineNote): Promise<void>;
  /**
   * Moves an active tenancy to another vehicle type in one transaction: a space of the new type
   * (capped by capacity) for the old one, and its billed unit to the new price. ConflictError
   * `carpark_full` or `tenancy_busy`.
   */
  /** `quotedAt`: the quote the tenant confirmed (removed when there was none). */
  /**
   * Creates a pending tenancy on the space a waitlist offer holds and accepts the offer, in one
   * transaction, only while the offer is open and before its deadline: ConflictError
   * `offer_not_open` otherwise, `plate_in_use` when the plate is live at the barrier.
   * `tenantName` as for `reserve`.
   */
  reserveFromOffer(tenancy: Tenancy, offer: { offerId: string; counted?: boolean }, now: string, note?: TimelineNote, tenantName?: string): Promise<void>;
  changeVehicle(
    tenancy: Tenancy,
    to: { vehicleType: VehicleType; priceId: string; monthlyAmount: number; quotedAt?: string },
    now: string,
    note?: TimelineNote,
  ): Promise<void>;
  /** Undoes `changeVehicle` (the new price could not be paid); false if nothing to undo. */
  revertVehicleChange(tenancy: Tenancy, now: string, note?: TimelineNote): Promise<boolean>;
  /**
   * Moves the tenancy onto its car park's new price: priceId and monthly amount, its billed unit
   * (unless scheduled) from the old price's line to the new one's, the MRR by the difference and
   * its event, in one transaction. Only from the status and price read, and not during a vehicle
   * change; false otherwise.
   */
  reprice(tenancy: Tenancy, to: { priceId: string; monthlyAmount: number; from: string }, now: string, note: TimelineNote): Promise<boolean>;
  /** Records that the tenant was emailed about the price change made at `changedAt`. */
  markPriceChangeNotified(tenancyId: string, changedAt: string, now: string): Promise<void>;
  /** Keeps the change: forgets the previous vehicle. */
  /** Keeps the change and gives back the old type's space, held through it; false when there was none to commit. */
  commitVehicleChange(tenancy: Tenancy, now: string): Promise<boolean>;
}
