/**
 * Tenancy use cases behind the API: take a space, list and read tenancies, change the plate,
 * cancel. The slow parts (Stripe, SmartParking, emails) run in workflows started from here.
 */
import { assertCanBeBilled, type BillingRepository } from './billing';
import type { CarparkRepository, UserRepository } from './ports';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import { newId, newToken } from './ids';
import { lookAlikeWarnings, normalisePlate, validatePlate, type LookAlikeWarning } from './plates';
import { offeredPrice, platesAllowed, type Carpark, type VehicleType } from './carparks';
import { sourceOf } from './tenancy-timeline';
import { acceptedQuote } from './quotes';
import type { SpaceReleases, WaitlistRepository } from './waitlist';
import { assertActive, listedAsSeenByOperator, MAX_START_AHEAD_DAYS, platesOf, removedStillOpen, type Tenancy, type TenancyRepository, type TenancyStatus, type TenancyView } from './tenancies';

/** Starts the workflows; a second start for the same tenancy and operation is a no-op. */
export interface TenancyWorkflows {
  /** `startsAt`: a scheduled tenancy's start, which the workflow waits for before it bills. */
  startSetup(tenancyId: string, startsAt?: string): Promise<void>;
  /** One execution per cancellation (a tenancy cancelled again after an undo gets a new one). */
  startCancellation(tenancyId: string, cancellationId: string): Promise<void>;
  /** Stops that cancellation's execution; nothing when it is over or never started. */
  stopCancellation(tenancyId: string, cancellationId: string, reason: string): Promise<void>;
  /** Adding a plate runs as a plate change that revokes nothing. */
  startPlateChange(tenancyId: string, newPlate: string): Promise<void>;
  /** Revokes a removed plate at `until` (the end of the period paid for), unless claimed again by then. */
  startPlateRemoval(tenancyId: string, plate: string, until: string): Promise<void>;
  startVehicleChange(tenancyId: string): Promise<void>;
  /**
   * Undoes a setup whose first charge waits for the tenant to authenticate it, as if its deadline
   * had passed at `at` (the setup voids the invoice and gives the space back); once per invoice.
   */
  withdrawUnconfirmed(tenancyId: string, invoiceId: string, at: string): Promise<void>;
}

export interface TenancyDeps {
  readonly tenancies: TenancyRepository;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly billing: Pick<BillingRepository, 'get'>;
  /** The tenant, whose name a new tenancy keeps (read beside the car park). */
  readonly users: Pick<UserRepository, 'get'>;
  readonly workflows: TenancyWorkflows;
  readonly clock: Clock;
  /** A booking withdrawn gives its space to the car park's waitlist first. */
  readonly spaces: SpaceReleases;
}

export interface TenancyResult {
  readonly tenancy: Tenancy;
  readonly warnings: readonly LookAlikeWarning[];
}

function plateOrThrow(raw: string, path = 'plate'): { plate: string; warnings: LookAlikeWarning[] } {
  const checked = validatePlate(normalisePlate(raw));
  if (!checked.ok) throw new ValidationError('The plate is not valid.', [{ path, message: checked.message }]);
  return { plate: checked.plate, warnings: lookAlikeWarnings(checked.plate) };
}

/** The owner, the car park's operator, or an admin; anyone else is told it does not exist. */
/** Its tenant, admins and its car park's operator see a tenancy; to anyone else it does not exist. */
function seenBy<T extends Tenancy>(caller: Principal, tenancy: T | undefined): T {
  const visible = tenancy && (tenancy.userId === caller.userId || isAdmin(caller) || canManageOperator(caller, tenancy.operatorId));
  if (!tenancy || !visible) throw new NotFoundError('Tenancy');
  return tenancy;
}

async function visibleTenancy(deps: TenancyDeps, caller: Principal, tenancyId: string, consistent = false): Promise<Tenancy> {
  return seenBy(caller, await deps.tenancies.get(tenancyId, consistent));
}

export interface CreateTenancyInput {
  readonly carparkId: string;
  readonly vehicleType: VehicleType;
  readonly plate: string;
  readonly startDate?: string;
  /** The quote the tenant was shown (`POST /billing/quote`): the first charge is prorated from it. */
  readonly quotedAt?: string;
}

export async function createTenancy(deps: TenancyDeps, caller: Principal, input: CreateTenancyInput): Promise<TenancyResult> {
  if (caller.role !== 'tenant') throw new ForbiddenError('Only tenants can rent spaces.');
  const { plate, warnings } = plateOrThrow(input.plate);
  const now = deps.clock.now();
  const startDate = input.startDate ? new Date(input.startDate) : now;
  if (startDate.getTime() < now.getTime() - 24 * 60 * 60 * 1000) {
    throw new ValidationError('The start date is in the past.', [{ path: 'startDate', message: 'Start today or later.' }]);
  }
  if (startDate.getTime() > now.getTime() + MAX_START_AHEAD_DAYS * 24 * 60 * 60 * 1000) {
    throw new ValidationError('The start date is too far ahead.', [
      { path: 'startDate', message: `Start within ${MAX_START_AHEAD_DAYS} days.` },
    ]);
  }
  // A later start waits, unbilled and off the barrier, for its day (the setup workflow waits too).
  const startsLater = startDate > now;
  const quotedAt = startsLater ? undefined : acceptedQuote(input.quotedAt, now);

  const [carpark, tenant] = await Promise.all([deps.carparks.get(input.carparkId), deps.users.get(caller.userId)]);
  if (!carpark) throw new NotFoundError('Car park');
  const price = offeredPrice(carpark, input.vehicleType);
  await assertCanBeBilled(deps.billing, caller.userId);

  const tenancy = newTenancy(caller, carpark, price, now, {
    vehicleType: input.vehicleType,
    plate,
    status: startsLater ? 'scheduled' : 'pending',
    startDate: (startsLater ? startDate : now).toISOString(),
    quotedAt,
  });
  await deps.tenancies.reserve(tenancy, rentedNote(caller, tenancy), tenant?.name);
  await deps.workflows.startSetup(tenancy.tenancyId, startsLater ? tenancy.startDate : undefined);
  return { tenancy, warnings };
}

/**
 * Accepts a waitlist offer in one step: the tenancy is created on the space the offer holds and
 * set up as any rental (the first month charged to the card on file). A second acceptance of the
 * same offer answers the tenancy the first made: one tenancy, one charge.
 */
export async function acceptOffer(
  deps: TenancyDeps & { waitlist: Pick<WaitlistRepository, 'getOffer'> },
  caller: Principal,
  offerId: string,
  input: { quotedAt: string },
): Promise<TenancyResult> {
  if (caller.role !== 'tenant') throw new ForbiddenError('Only tenants can rent spaces.');
  const offer = await deps.waitlist.getOffer(offerId, true);
  if (!offer || offer.userId !== caller.userId) throw new NotFoundError('Offer');
  const accepted = async () => {
    const again = await deps.waitlist.getOffer(offerId, true);
    const tenancy = again?.status === 'accepted' && again.tenancyId ? await deps.tenancies.get(again.tenancyId, true) : undefined;
    return tenancy ? { tenancy, warnings: lookAlikeWarnings(tenancy.plate) } : undefined;
  };
  if (offer.status === 'accepted') {
    const done = await accepted();
    if (done) return done;
  }
  const now = deps.clock.now();
  if (offer.status !== 'open' || Date.parse(offer.expiresAt) <= now.getTime()) {
    throw new ConflictError('offer_not_open', offer.status === 'declined' ? 'You declined this offer.' : 'This offer has lapsed: the space went to the next in line.');
  }
  const [carpark, tenant] = await Promise.all([deps.carparks.get(offer.carparkId), deps.users.get(caller.userId)]);
  if (!carpark) throw new NotFoundError('Car park');
  const price = offeredPrice(carpark, offer.vehicleType);
  await assertCanBeBilled(deps.billing, caller.userId);
  const quotedAt = acceptedQuote(input.quotedAt, now);
  const tenancy = newTenancy(caller, carpark, price, now, { vehicleType: offer.vehicleType, plate: offer.plate, status: 'pending', startDate: now.toISOString(), quotedAt });
  try {
    await deps.tenancies.reserveFromOffer(tenancy, offer, now.toISOString(), rentedNote(caller, tenancy, offerId), tenant?.name);
  } catch (error) {
    // Accepted meanwhile by another click of the same tenant: that one's tenancy.
    if (error instanceof ConflictError && error.code === 'offer_not_open') {
      const done = await accepted();
      if (done) return done;
    }
    throw error;
  }
  await deps.workflows.startSetup(tenancy.tenancyId);
  return { tenancy, warnings: lookAlikeWarnings(tenancy.plate) };
}

/** A tenancy taken now (or booked from `startDate`) at the car park's current price, not yet on the barrier. */
function newTenancy(
  caller: Principal,
  carpark: Carpark,
  price: { amount: number; priceId: string },
  now: Date,
  what: Pick<Tenancy, 'vehicleType' | 'plate' | 'status' | 'startDate'> & { quotedAt: string | undefined },
): Tenancy {
  const { quotedAt, ...rest } = what;
  return {
    tenancyId: newId('tn'),
    userId: caller.userId,
    carparkId: carpark.carparkId,
    operatorId: carpark.operatorId,
    siteId: carpark.smartParkingSiteId,
    ...rest,
    priceId: price.priceId,
    monthlyAmount: price.amount,
    currency: carpark.currency,
    barrier: { status: 'pending', changedAt: now.toISOString() },
    ...(quotedAt ? { quotedAt } : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** The timeline's first event of a tenancy, `rented` (with the offer it came from, if any). */
const rentedNote = (caller: Principal, t: Tenancy, offerId?: string) => ({
  kind: 'rented' as const,
  source: sourceOf(caller),
  detail: { plate: t.plate, vehicleType: t.vehicleType, monthlyAmount: t.monthlyAmount, currency: t.currency, startDate: t.startDate, ...(offerId ? { offerId } : {}) },
});

export interface ListTenanciesQuery {
  readonly carparkId?: string;
  readonly userId?: string;
  readonly status?: TenancyStatus;
  /** Only those whose tenant has an unpaid invoice. */
  readonly inArrears?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** Tenants and operators see their own; operators also one of their car parks (`carparkId`); admins any. */
export async function listTenancies(deps: TenancyDeps, caller: Principal, query: ListTenanciesQuery) {
  const page = {
    limit: query.limit,
    ...(query.status ? { status: query.status } : {}),
    ...(query.inArrears ? { inArrears: true } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
  if (query.carparkId) {
    const carpark = caller.role === 'tenant' ? undefined : await deps.carparks.get(query.carparkId);
    if (caller.role === 'tenant') {
      // A tenant filtering by car park filters their own tenancies (in the query, so pages stay full).
      return deps.tenancies.listByUser(caller.userId, { ...page, carparkId: query.carparkId });
    }
    if (!carpark || !canManageOperator(caller, carpark.operatorId)) throw new NotFoundError('Car park');
    const listed = await deps.tenancies.listByCarpark(query.carparkId, page);
    return isAdmin(caller) ? listed : { ...listed, items: listed.items.map(listedAsSeenByOperator) };
  }
  // Without a car park, one's own: an operator's are those rented as a tenant before it ran car parks.
  const userId = isAdmin(caller) && query.userId ? query.userId : caller.userId;
  return deps.tenancies.listByUser(userId, page);
}

/** With the tenant's name the tenancy keeps for its operator and admins; to its tenant, as every tenant route shows it. */
export async function getTenancy(deps: TenancyDeps, caller: Principal, tenancyId: string): Promise<TenancyView & { readonly tenantName?: string }> {
  const tenancy = seenBy(caller, await deps.tenancies.getListed(tenancyId));
  if (isAdmin(caller)) return tenancy;
  if (tenancy.userId === caller.userId) {
    const { tenantName: _kept, ...own } = tenancy;
    return own;
  }
  return listedAsSeenByOperator(tenancy);
}

/**
 * Changes the plate and/or the vehicle type. A new plate is whitelisted before the old one is
 * revoked, so the barrier never shuts out a payer. A new vehicle type takes a space of that type
 * and moves the billed unit to its price at once (so capacity is never oversold); the workflow
 * then charges the new price and puts everything back if the card refuses it.
 */
export async function changeTenancy(
  deps: TenancyDeps,
  caller: Principal,
  tenancyId: string,
  input: { plate?: string; vehicleType?: VehicleType; quotedAt?: string },
): Promise<TenancyResult> {
  let tenancy = await visibleTenancy(deps, caller, tenancyId, true);
  if (tenancy.userId !== caller.userId) throw new ForbiddenError('Only the tenant can change the plate or vehicle.');
  const checked = input.plate !== undefined ? plateOrThrow(input.plate) : undefined;
  const newPlate = checked && checked.plate !== tenancy.plate ? checked.plate : undefined;
  const newType = input.vehicleType !== undefined && input.vehicleType !== tenancy.vehicleType ? input.vehicleType : undefined;
  if (!newPlate && !newType) return { tenancy, warnings: checked?.warnings ?? [] };
  if (newPlate && platesOf(tenancy).includes(newPlate)) throw new ConflictError('plate_on_tenancy', `${newPlate} is already on this tenancy.`);
  assertActive(tenancy);
  const now = deps.clock.now().toISOString();

  if (newType) {
    const carpark = await deps.carparks.get(tenancy.carparkId);
    const amount = carpark?.prices[newType];
    const priceId = carpark?.stripePrices?.[newType];
    if (amount === undefined || !priceId) {
      throw new ValidationError('This car park has no spaces of that type.', [
        { path: 'vehicleType', message: `Choose one of: ${Object.keys(carpark?.prices ?? {}).join(', ')}.` },
      ]);
    }
    const quotedAt = acceptedQuote(input.quotedAt, deps.clock.now());
    const to = { vehicleType: newType, priceId, monthlyAmount: amount, ...(quotedAt ? { quotedAt } : {}) };
    await deps.tenancies.changeVehicle(tenancy, to, now, {
      kind: 'vehicle_change_requested',
      source: sourceOf(caller),
      detail: { from: tenancy.vehicleType, to: newType, monthlyAmount: amount },
    });
    await deps.workflows.startVehicleChange(tenancyId);
    tenancy = { ...tenancy, ...to, previousVehicle: { vehicleType: tenancy.vehicleType, priceId: tenancy.priceId, monthlyAmount: tenancy.monthlyAmount }, updatedAt: now };
  }
  if (newPlate) {
    await deps.tenancies.startPlateChange(tenancy, newPlate, now, { kind: 'plate_change_requested', source: sourceOf(caller), detail: { from: tenancy.plate, to: newPlate } });
    await deps.workflows.startPlateChange(tenancyId, newPlate);
    tenancy = { ...tenancy, pendingPlate: newPlate, updatedAt: now };
  }
  return { tenancy, warnings: checked?.warnings ?? [] };
}

/**
 * Adds a further vehicle to an active tenancy, up to its car park's `platesPerTenancy`: claimed at
 * the barrier at once and whitelisted by a plate change. Billing stays one space. The limit counts
 * what opens the barrier: a removed plate still in its paid period counts until then, unless this
 * plate takes its place, which ends its time now (the change revokes it once the new plate is on),
 * so removing and adding in turn never puts more cars on the whitelist than the limit.
 */
export async function addPlate(deps: TenancyDeps, caller: Principal, tenancyId: string, rawPlate: string): Promise<TenancyResult> {
  const tenancy = await visibleTenancy(deps, caller, tenancyId, true);
  if (tenancy.userId !== caller.userId) throw new ForbiddenError('Only the tenant can add a plate.');
  const { plate, warnings } = plateOrThrow(rawPlate);
  if (platesOf(tenancy).includes(plate) || tenancy.pendingPlate === plate) return { tenancy, warnings };
  assertActive(tenancy);
  const carpark = await deps.carparks.get(tenancy.carparkId);
  const allowed = carpark ? platesAllowed(carpark) : 1;
  if (platesOf(tenancy).length >= allowed) {
    throw new ConflictError(
      'plate_limit',
      allowed === 1 ? 'This car park allows one plate per tenancy. Change the plate instead.' : `This car park allows ${allowed} plates per tenancy; remove one first.`,
    );
  }
  const at = deps.clock.now();
  // Removed plates still opening the barrier, but not this one (added back, it adds no car).
  const stillOpen = removedStillOpen(tenancy, at)
    .filter((r) => r.plate !== plate)
    .sort((a, b) => a.until.localeCompare(b.until));
  const cutShort = platesOf(tenancy).length + stillOpen.length >= allowed ? stillOpen[0]?.plate : undefined;
  const now = at.toISOString();
  await deps.tenancies.startPlateAddition(
    tenancy,
    plate,
    now,
    { kind: 'plate_add_requested', source: sourceOf(caller), detail: { plate, ...(cutShort ? { replaces: cutShort } : {}) } },
    cutShort,
  );
  await deps.workflows.startPlateChange(tenancyId, plate);
  const retiredPlates = tenancy.retiredPlates?.map((r) => (r.plate === cutShort ? { ...r, until: now } : r));
  return { tenancy: { ...tenancy, pendingPlate: plate, addingPlate: true, ...(retiredPlates ? { retiredPlates } : {}), updatedAt: now }, warnings };
}

/**
 * Takes a plate off an active tenancy that has another. Its claim is given up at once, but it
 * stays whitelisted to the end of the period paid for (a removed car may still be inside), then
 * is revoked unless another live tenancy at the barrier has claimed it by then.
 */
export async function removePlate(deps: TenancyDeps, caller: Principal, tenancyId: string, rawPlate: string): Promise<Tenancy> {
  const tenancy = await visibleTenancy(deps, caller, tenancyId, true);
  if (tenancy.userId !== caller.userId) throw new ForbiddenError('Only the tenant can remove a plate.');
  const plate = normalisePlate(rawPlate);
  if (tenancy.pendingPlate === plate) throw new ConflictError('tenancy_busy', `${plate} is being put on the barrier. Remove it when that is done.`);
  if (!platesOf(tenancy).includes(plate)) throw new NotFoundError('Plate');
  assertActive(tenancy);
  if (platesOf(tenancy).length === 1) throw new ConflictError('last_plate', 'A tenancy keeps at least one plate. Change it instead, or cancel the tenancy.');
  if (tenancy.pendingPlate) throw new ConflictError('tenancy_busy', 'A plate change is under way. Try again when it is done.');
  const now = deps.clock.now();
  const paidTo = tenancy.renewsAt && Date.parse(tenancy.renewsAt) > now.getTime() ? tenancy.renewsAt : now.toISOString();
  const removed = await deps.tenancies.removePlate(tenancy, plate, paidTo, now.toISOString(), {
    kind: 'plate_removed',
    source: sourceOf(caller),
    detail: { plate, until: paidTo },
  });
  await deps.workflows.startPlateRemoval(tenancyId, plate, paidTo);
  return removed;
}

/**
 * Access continues to the end of the paid period; the cancellation workflow ends it then. A
 * suspended tenancy stays suspended (its plate stays off the barrier): it is only marked to end,
 * and goes back to `cancelling` (plate registered) if the arrears are settled before its end date.
 */
export async function cancelTenancy(deps: TenancyDeps, caller: Principal, tenancyId: string): Promise<Tenancy> {
  const tenancy = await visibleTenancy(deps, caller, tenancyId, true);
  const cancelled = { kind: 'cancelled', source: sourceOf(caller) } as const;
  if (tenancy.status === 'cancelling') return tenancy;
  if (tenancy.status === 'suspended') {
    if (tenancy.suspendedFrom === 'cancelling') return tenancy;
    const now = deps.clock.now().toISOString();
    const cancellationId = newToken();
    const marked = await deps.tenancies.transition(tenancyId, ['suspended'], { suspendedFrom: 'cancelling', cancellationId, updatedAt: now }, cancelled);
    if (!marked) throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile. Reload it and try again.');
    await deps.workflows.startCancellation(tenancyId, cancellationId);
    return marked;
  }
  if (tenancy.status === 'scheduled') {
    // Nothing was billed or registered yet: it ends now. Its setup workflow, waiting for the
    // start date, finds it ended then and stops.
    const withdrawn = await deps.tenancies.withdraw(tenancy, deps.clock.now().toISOString(), { ...cancelled, detail: { before: 'start' } });
    if (!withdrawn) throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile. Reload it and try again.');
    await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
    return withdrawn;
  }
  if (tenancy.status === 'pending' && tenancy.awaitingAuthentication) {
    // Nothing was charged: the first payment waits for the tenant's bank. Bring its deadline
    // forward to now and let the setup undo itself, as it would at the deadline.
    const asked = tenancy.awaitingAuthentication;
    if (asked.withdrawn) return tenancy;
    const now = deps.clock.now().toISOString();
    const withdrawn = await deps.tenancies.transition(
      tenancyId,
      ['pending'],
      { awaitingAuthentication: { invoiceId: asked.invoiceId, until: now, withdrawn: true }, updatedAt: now },
      { ...cancelled, detail: { before: 'first payment' } },
    );
    if (!withdrawn) throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile. Reload it and try again.');
    await deps.workflows.withdrawUnconfirmed(tenancyId, asked.invoiceId, now);
    return withdrawn;
  }
  if (tenancy.status === 'pending') {
    throw new ConflictError('tenancy_not_ready', 'This tenancy is still being set up. Cancel it once it is active.');
  }
  if (tenancy.status === 'ended' || tenancy.status === 'failed') {
    throw new ConflictError('tenancy_over', `This tenancy has already ${tenancy.status === 'ended' ? 'ended' : 'failed'}.`);
  }
  const now = deps.clock.now().toISOString();
  const cancellationId = newToken();
  const cancelling = await deps.tenancies.transition(tenancyId, ['active'], { status: 'cancelling', cancellationId, updatedAt: now }, cancelled);
  if (!cancelling) throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile. Reload it and try again.');
  await deps.workflows.startCancellation(tenancyId, cancellationId);
  return cancelling;
}

/**
 * What a pending cancellation undoes to: a cancelled tenancy is active again; one cancelled while
 * suspended, or suspended while cancelling, stays suspended (its plate stays off the barrier until
 * the arrears are settled), and will then go back to active. Undefined when nothing is pending.
 */
export function undoneStatus(tenancy: Tenancy): Pick<Tenancy, 'status' | 'suspendedFrom'> | undefined {
  if (tenancy.status === 'cancelling') return tenancy.suspendedFrom ? { status: 'suspended', suspendedFrom: 'active' } : { status: 'active' };
  if (tenancy.status === 'suspended' && tenancy.suspendedFrom === 'cancelling') return { status: 'suspended', suspendedFrom: 'active' };
  return undefined;
}

/**
 * Takes back a cancellation before it has ended the tenancy. The space, the plate's claim and the
 * billed quantity were never given back, so they simply stay; the cancellation's workflow is
 * stopped, and its end step, conditioned on the cancellation it carries, could not end the
 * tenancy anyway. Owner only.
 */
export async function undoCancellation(deps: TenancyDeps, caller: Principal, tenancyId: string): Promise<{ tenancy: Tenancy }> {
  const tenancy = await visibleTenancy(deps, caller, tenancyId, true);
  if (tenancy.userId !== caller.userId) throw new ForbiddenError('Only the tenant can undo a cancellation.');
  const to = undoneStatus(tenancy);
  if (!to) {
    throw new ConflictError('tenancy_not_cancelling', `Only a cancelled tenancy that has not ended can be taken back; this one is ${tenancy.status}.`);
  }
  const undone = await deps.tenancies.undoCancellation(tenancy, to, deps.clock.now().toISOString(), { kind: 'cancellation_undone', source: sourceOf(caller) });
  if (!undone) {
    // Ended (its date came), or changed by a suspension or reinstatement meanwhile.
    const now = await deps.tenancies.get(tenancyId, true);
    if (!now || !undoneStatus(now)) {
      throw new ConflictError('tenancy_not_cancelling', `Only a cancelled tenancy that has not ended can be taken back; this one is ${now?.status ?? 'gone'}.`);
    }
    throw new ConflictError('tenancy_busy', 'This tenancy changed meanwhile. Reload it and try again.');
  }
  if (tenancy.cancellationId) {
    await deps.workflows.stopCancellation(tenancyId, tenancy.cancellationId, 'The tenant undid the cancellation.');
  }
  return { tenancy: undone };
}
