/**
 * The waitlist of a full car park, per vehicle type: tenants join in order, and when a space
 * frees the first in line gets an offer that holds it (the space is counted as taken in the same
 * transaction that creates the offer) until they accept, decline, or the offer lapses; then the
 * space passes to the next in line, in the same transaction again. No operator is in the loop.
 *
 * While anyone waits, a space is never rented directly (the rental's transaction checks the line
 * is empty), so nobody jumps the queue: `occupied` = live tenancies + open offers, always.
 */
import { MAX_OFFER_HOURS, type VehicleType } from './carparks';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import { newId } from './ids';
import { escapeHtml } from './accounts';
import { DEFAULT_TIME_ZONE, formatDayAndTime, formatMoney, type PortalLinks } from './email-format';
import type { CarparkRepository, Mailer } from './ports';
import { normalisePlate, validatePlate } from './plates';
import type { User } from './users';

/** How long an offer holds its space unless the car park says otherwise. */
export const DEFAULT_OFFER_HOURS = 48;

export interface WaitlistEntry {
  readonly carparkId: string;
  readonly vehicleType: VehicleType;
  readonly userId: string;
  /** The plate the tenancy will be for, so accepting an offer is one step. */
  readonly plate: string;
  readonly joinedAt: string;
}

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'lapsed'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface WaitlistOffer {
  readonly offerId: string;
  readonly carparkId: string;
  readonly operatorId: string;
  readonly vehicleType: VehicleType;
  readonly userId: string;
  readonly plate: string;
  readonly status: OfferStatus;
  readonly joinedAt: string;
  readonly offeredAt: string;
  /** Until when the space is held for this tenant. */
  readonly expiresAt: string;
  /** When the space it holds first fell free (kept as it passes down the line): time to fill. */
  readonly spaceFreedAt: string;
  readonly resolvedAt?: string;
  /** Accepted: the tenancy it became. */
  readonly tenancyId?: string;
  /**
   * Counted in its car park's `offered` while open (every offer made since that count exists; an
   * older one is not, and its resolution leaves the count alone).
   */
  readonly counted?: boolean;
}

export type OfferResult = 'offered' | 'no_space' | 'gone';

export interface WaitlistRepository {
  /** ConflictError `already_waiting` when the tenant is in this line already. */
  join(entry: WaitlistEntry): Promise<void>;
  /** False when the tenant was not in the line. */
  leave(carparkId: string, vehicleType: VehicleType, userId: string): Promise<boolean>;
  entriesOf(userId: string): Promise<WaitlistEntry[]>;
  /** 1 for the first in line. */
  position(entry: WaitlistEntry): Promise<number>;
  /** The line in order, up to `limit`. */
  line(carparkId: string, vehicleType: VehicleType, limit: number): Promise<WaitlistEntry[]>;
  /**
   * One transaction: the entry leaves the line, a space is taken (only if one is free), the offer
   * is created. `no_space` when none is free (or nobody is waiting by the count), `gone` when the
   * entry left meanwhile.
   */
  offer(entry: WaitlistEntry, offer: WaitlistOffer): Promise<OfferResult>;
  getOffer(offerId: string, consistent?: boolean): Promise<WaitlistOffer | undefined>;
  offersOf(userId: string): Promise<WaitlistOffer[]>;
  /** The car park's offers, newest first, up to `limit`. */
  offersAt(carparkId: string, limit: number): Promise<WaitlistOffer[]>;
  /** Every open offer at the car park made at or after `since` (bounded by its capacity). */
  openOffersSince(carparkId: string, since: string): Promise<WaitlistOffer[]>;
  /**
   * One transaction: an open offer is declined or lapsed, and its space passes to `next` (the
   * next entry leaves the line, its offer is created) or, with nobody next, is given back.
   * `not_open` when the offer was resolved meanwhile; `next_gone` when the next entry left.
   */
  release(
    offer: WaitlistOffer,
    outcome: 'declined' | 'lapsed',
    at: string,
    next?: { entry: WaitlistEntry; offer: WaitlistOffer },
  ): Promise<'done' | 'not_open' | 'next_gone'>;
}

/**
 * Told when a space may have fallen free (a tenancy ended or failed, a booking withdrawn, a
 * capacity raised), so the line is offered it. Best effort: the sweep offers what it misses.
 */
export interface SpaceReleases {
  freed(carparkId: string, vehicleType: VehicleType): Promise<void>;
}

export interface OfferWorkflows {
  /** Runs the offer: its email, the wait until it lapses. Named after the offer: started once. */
  startOffer(offer: Pick<WaitlistOffer, 'offerId' | 'expiresAt'>): Promise<void>;
}

export interface WaitlistDeps {
  readonly waitlist: WaitlistRepository;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly offers: OfferWorkflows;
  readonly clock: Clock;
}

export interface OfferNoticeDeps extends WaitlistDeps {
  readonly mailer: Mailer;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly links: PortalLinks;
}

const hoursOf = (carpark: { offerHours?: number }) => carpark.offerHours ?? DEFAULT_OFFER_HOURS;

// --- the tenant ------------------------------------------------------------------------------

export async function joinWaitlist(
  deps: WaitlistDeps,
  caller: Principal,
  carparkId: string,
  input: { vehicleType: VehicleType; plate: string },
): Promise<WaitlistEntry & { position: number }> {
  if (caller.role !== 'tenant') throw new ForbiddenError('Only tenants can join a waitlist.');
  const checked = validatePlate(normalisePlate(input.plate));
  if (!checked.ok) throw new ValidationError('The plate is not valid.', [{ path: 'plate', message: checked.message }]);
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark) throw new NotFoundError('Car park');
  const capacity = carpark.capacity[input.vehicleType];
  if (capacity === undefined || carpark.prices[input.vehicleType] === undefined) {
    throw new ValidationError('This car park has no spaces of that type.', [{ path: 'vehicleType', message: `Choose one of: ${Object.keys(carpark.prices).join(', ')}.` }]);
  }
  const free = capacity - (carpark.occupied[input.vehicleType] ?? 0);
  const waiting = carpark.waiting?.[input.vehicleType] ?? 0;
  if (free > 0 && waiting === 0) throw new ConflictError('spaces_free', 'A space of this type is free: rent it now instead.');
  // Joining again while a space is held for you would take a second turn before those behind you.
  const held = (await deps.waitlist.offersOf(caller.userId)).find(
    (o) => o.carparkId === carparkId && o.vehicleType === input.vehicleType && liveStatus(o, deps.clock.now()).status === 'open',
  );
  if (held) throw new ConflictError('offer_open', 'A space here is held for you already: accept or decline it first.');
  const entry: WaitlistEntry = { carparkId, vehicleType: input.vehicleType, userId: caller.userId, plate: checked.plate, joinedAt: deps.clock.now().toISOString() };
  await deps.waitlist.join(entry);
  // A space that fell free while the tenant joined goes to the line now, not at the next sweep.
  await offerFreeSpaces(deps, carparkId, input.vehicleType);
  return { ...entry, position: await deps.waitlist.position(entry) };
}

export async function leaveWaitlist(deps: WaitlistDeps, caller: Principal, carparkId: string, vehicleType: VehicleType): Promise<void> {
  if (!(await deps.waitlist.leave(carparkId, vehicleType, caller.userId))) throw new NotFoundError('Waitlist place');
}

export interface MyWaitlist {
  readonly entries: (WaitlistEntry & { position: number; carparkName: string })[];
  readonly offers: (WaitlistOffer & { carparkName: string })[];
}

export async function myWaitlist(deps: WaitlistDeps, caller: Principal): Promise<MyWaitlist> {
  const [entries, offers] = await Promise.all([deps.waitlist.entriesOf(caller.userId), deps.waitlist.offersOf(caller.userId)]);
  const names = await carparkNames(deps, [...entries, ...offers].map((e) => e.carparkId));
  return {
    entries: await Promise.all(entries.map(async (e) => ({ ...e, position: await deps.waitlist.position(e), carparkName: names.get(e.carparkId) ?? '' }))),
    offers: offers.map((o) => ({ ...liveStatus(o, deps.clock.now()), carparkName: names.get(o.carparkId) ?? '' })),
  };
}

/** An open offer past its deadline is lapsed for the tenant, whatever its workflow has done yet. */
function liveStatus(offer: WaitlistOffer, now: Date): WaitlistOffer {
  return offer.status === 'open' && Date.parse(offer.expiresAt) <= now.getTime() ? { ...offer, status: 'lapsed' } : offer;
}

async function carparkNames(deps: WaitlistDeps, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const carparks = await Promise.all(unique.map((id) => deps.carparks.get(id)));
  return new Map(carparks.flatMap((c) => (c ? [[c.carparkId, c.name] as const] : [])));
}

export async function getOffer(deps: WaitlistDeps, caller: Principal, offerId: string) {
  const offer = await deps.waitlist.getOffer(offerId);
  if (!offer || offer.userId !== caller.userId) throw new NotFoundError('Offer');
  const carpark = await deps.carparks.get(offer.carparkId);
  if (!carpark) throw new NotFoundError('Car park');
  return {
    ...liveStatus(offer, deps.clock.now()),
    carparkName: carpark.name,
    monthlyAmount: carpark.prices[offer.vehicleType] ?? 0,
    currency: carpark.currency,
  };
}

/** Declines an open offer: the space passes to the next in line at once. */
export async function declineOffer(deps: WaitlistDeps, caller: Principal, offerId: string): Promise<WaitlistOffer> {
  const offer = await deps.waitlist.getOffer(offerId, true);
  if (!offer || offer.userId !== caller.userId) throw new NotFoundError('Offer');
  if (offer.status === 'declined') return offer;
  const outcome = await passOn(deps, offer, 'declined');
  if (outcome === 'not_open') {
    const now = await deps.waitlist.getOffer(offerId, true);
    throw new ConflictError('offer_not_open', `This offer is ${now?.status ?? 'gone'}.`);
  }
  return { ...offer, status: 'declined', resolvedAt: deps.clock.now().toISOString() };
}

// --- the platform ----------------------------------------------------------------------------

/** Most offers one call makes: a capacity increase frees a few spaces at once, not hundreds. */
const MAX_OFFERS_PER_CALL = 25;

/**
 * Offers every free space of this type to the line, first come first served. Safe to call at any
 * time and from anywhere at once: each offer takes a free space in its own transaction, so as many
 * offers are made as spaces are free, never more. Returns how many were made.
 */
export async function offerFreeSpaces(deps: WaitlistDeps, carparkId: string, vehicleType: VehicleType): Promise<number> {
  let made = 0;
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark) return made;
  for (let attempt = 0; attempt < MAX_OFFERS_PER_CALL * 2 && made < MAX_OFFERS_PER_CALL; attempt++) {
    // The line is read consistently and the transaction decides whether a space is free: a
    // car park read a moment stale must not leave a space unoffered until the sweep.
    const [head] = await deps.waitlist.line(carparkId, vehicleType, 1);
    if (!head) return made;
    const now = deps.clock.now();
    const offer = newOffer(head, carpark, now, now.toISOString());
    const result = await deps.waitlist.offer(head, offer);
    if (result === 'no_space') return made;
    if (result === 'offered') {
      made++;
      await deps.offers.startOffer(offer);
    }
  }
  return made;
}

function newOffer(entry: WaitlistEntry, carpark: { operatorId: string; offerHours?: number }, now: Date, spaceFreedAt: string): WaitlistOffer {
  return {
    offerId: newId('of'),
    carparkId: entry.carparkId,
    operatorId: carpark.operatorId,
    vehicleType: entry.vehicleType,
    userId: entry.userId,
    plate: entry.plate,
    status: 'open',
    joinedAt: entry.joinedAt,
    offeredAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + hoursOf(carpark) * 60 * 60 * 1000).toISOString(),
    spaceFreedAt,
    counted: true,
  };
}

/**
 * Resolves an open offer (declined, lapsed) and hands its space to the next in line in the same
 * transaction (or gives it back when nobody waits). `not_open` when it was resolved meanwhile.
 */
async function passOn(deps: WaitlistDeps, offer: WaitlistOffer, outcome: 'declined' | 'lapsed'): Promise<'done' | 'not_open'> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const now = deps.clock.now();
    const carpark = await deps.carparks.get(offer.carparkId);
    const [head] = await deps.waitlist.line(offer.carparkId, offer.vehicleType, 1);
    const next = head && carpark ? { entry: head, offer: newOffer(head, carpark, now, offer.spaceFreedAt) } : undefined;
    const result = await deps.waitlist.release(offer, outcome, now.toISOString(), next);
    if (result === 'next_gone') continue;
    if (result === 'done' && next) await deps.offers.startOffer(next.offer);
    return result;
  }
  throw new ConflictError('waitlist_busy', 'The waitlist is changing fast; try again.');
}

/**
 * The offer's deadline has come (its workflow, or the sweep): lapsed if still open, its space
 * passed on, and the tenant told. Nothing for an offer accepted or declined meanwhile.
 */
export async function lapseOffer(deps: OfferNoticeDeps, offerId: string): Promise<{ lapsed: boolean }> {
  const offer = await deps.waitlist.getOffer(offerId, true);
  if (!offer || offer.status !== 'open') return { lapsed: false };
  if (Date.parse(offer.expiresAt) > deps.clock.now().getTime()) return { lapsed: false };
  if ((await passOn(deps, offer, 'lapsed')) === 'not_open') return { lapsed: false };
  await sendOfferEmail(deps, offer, 'lapsed');
  return { lapsed: true };
}

/** Emails the offer: the space, the price, the deadline and the link to accept it. */
export async function notifyOffer(deps: OfferNoticeDeps, offerId: string): Promise<{ sent: boolean }> {
  const offer = await deps.waitlist.getOffer(offerId, true);
  if (!offer || offer.status !== 'open') return { sent: false };
  return { sent: await sendOfferEmail(deps, offer, 'offered') };
}

async function sendOfferEmail(deps: OfferNoticeDeps, offer: WaitlistOffer, kind: 'offered' | 'lapsed'): Promise<boolean> {
  const [user, carpark] = await Promise.all([deps.users.get(offer.userId), deps.carparks.get(offer.carparkId)]);
  if (!user || !carpark) return false;
  const timeZone = carpark.timeZone ?? DEFAULT_TIME_ZONE;
  const price = formatMoney(carpark.prices[offer.vehicleType] ?? 0, carpark.currency);
  const link = deps.links.offer(offer.offerId);
  const message =
    kind === 'offered'
      ? {
          subject: `A space is free for you at ${carpark.name}`,
          body: `A ${offer.vehicleType} space at ${carpark.name} is held for you and ${offer.plate} until ${formatDayAndTime(offer.expiresAt, timeZone)}: ${price} a month. Accept it in one step (the first month is charged to your card), or decline it so the next person in line gets it.`,
          action: 'See the offer',
        }
      : {
          subject: `Your offer of a space at ${carpark.name} has lapsed`,
          body: `The ${offer.vehicleType} space held for you at ${carpark.name} was not taken by ${formatDayAndTime(offer.expiresAt, timeZone)}, so it has passed to the next person in line. You can join the waitlist again from the car park's page.`,
          action: 'See your waitlist',
        };
  const href = kind === 'offered' ? link : deps.links.waitlist;
  await deps.mailer.send({
    to: user.email,
    subject: message.subject,
    text: `Hello ${user.name},\n\n${message.body}\n\n${message.action}: ${href}\n\nCarpark Tenancy`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>${escapeHtml(message.body)}</p><p><a href="${escapeHtml(href)}">${message.action}</a></p><p>Carpark Tenancy</p>`,
  });
  return true;
}

/** The sweep: offers lapsed past their deadline, free spaces offered to the line, at every car park. */
const SWEEP_CONCURRENCY = 4;

export async function sweepWaitlists(
  deps: OfferNoticeDeps & { carparks: Pick<CarparkRepository, 'get' | 'list'> },
): Promise<{ offered: number; lapsed: number }> {
  let offered = 0;
  let lapsed = 0;
  const now = deps.clock.now().getTime();
  const carparkIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.carparks.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    carparkIds.push(...page.items.map((c) => c.carparkId));
    cursor = page.nextCursor;
  } while (cursor);
  // Any open offer was made within the longest hold (a day's margin): an older one was lapsed by
  // an earlier sweep, every few minutes.
  const since = new Date(now - (MAX_OFFER_HOURS + 24) * 3_600_000).toISOString();
  const sweepCarpark = async (carparkId: string) => {
    for (const offer of await deps.waitlist.openOffersSince(carparkId, since)) {
      if (Date.parse(offer.expiresAt) <= now) {
        if ((await lapseOffer(deps, offer.offerId)).lapsed) lapsed++;
      } else {
        // Started again by name: nothing for a running one, the run for one whose start was lost.
        await deps.offers.startOffer(offer);
      }
    }
    const carpark = await deps.carparks.get(carparkId);
    for (const type of Object.keys(carpark?.waiting ?? {}) as VehicleType[]) offered += await offerFreeSpaces(deps, carparkId, type);
  };
  // A few car parks at a time: one slow car park does not hold up the rest.
  for (let i = 0; i < carparkIds.length; i += SWEEP_CONCURRENCY) await Promise.all(carparkIds.slice(i, i + SWEEP_CONCURRENCY).map(sweepCarpark));
  return { offered, lapsed };
}

// --- the operator ----------------------------------------------------------------------------

export interface CarparkWaitlistView {
  readonly carparkId: string;
  readonly offerHours: number;
  readonly waiting: { readonly vehicleType: VehicleType; readonly position: number; readonly joinedAt: string; readonly plate: string }[];
  readonly offers: WaitlistOffer[];
  /** Median time from a space falling free to its offer being accepted, in hours (accepted offers shown). */
  readonly timeToFillHours: number | null;
}

export async function carparkWaitlist(deps: WaitlistDeps, caller: Principal, carparkId: string): Promise<CarparkWaitlistView> {
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark || !(isAdmin(caller) || canManageOperator(caller, carpark.operatorId))) throw new NotFoundError('Car park');
  const types = Object.keys(carpark.capacity) as VehicleType[];
  const lines = await Promise.all(types.map((t) => deps.waitlist.line(carparkId, t, 100)));
  const now = deps.clock.now();
  const offers = (await deps.waitlist.offersAt(carparkId, 100)).map((o) => liveStatus(o, now));
  const fills = offers
    .filter((o) => o.status === 'accepted' && o.resolvedAt)
    .map((o) => (Date.parse(o.resolvedAt!) - Date.parse(o.spaceFreedAt)) / 3_600_000)
    .sort((a, b) => a - b);
  return {
    carparkId,
    offerHours: hoursOf(carpark),
    waiting: lines.flatMap((line) => line.map((e, i) => ({ vehicleType: e.vehicleType, position: i + 1, joinedAt: e.joinedAt, plate: e.plate }))),
    offers,
    timeToFillHours: fills.length ? Math.round(fills[Math.floor(fills.length / 2)]! * 10) / 10 : null,
  };
}
