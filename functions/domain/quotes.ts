/**
 * What a rental, a vehicle type change or a cancellation costs, shown before the tenant confirms
 * it: the amount charged now, the unused time credited, and the next renewal, all from Stripe's
 * invoice preview of the very change sync billing will make. The quote carries its moment
 * (`quotedAt`); the rental or change made with it is prorated from that moment, so what was shown
 * is what is charged.
 */
import { assertCanBeBilled, type BillingRepository, type InvoicePreview, type PaymentGateway, type PreviewItem, type SubscriptionState } from './billing';
import { priceFamily } from './billing';
import type { Clock } from './clock';
import type { CarparkRepository } from './ports';
import { offeredPrice, type VehicleType } from './carparks';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import type { Principal } from './identity';
import type { Tenancy, TenancyRepository } from './tenancies';

/** How long a quote's moment is honoured: a change made later is prorated from when it is made. */
export const QUOTE_VALID_MS = 30 * 60 * 1000;

export type QuoteRequest =
  | { readonly kind: 'rent'; readonly carparkId: string; readonly vehicleType: VehicleType }
  | { readonly kind: 'vehicle_change'; readonly tenancyId: string; readonly vehicleType: VehicleType }
  | { readonly kind: 'cancel'; readonly tenancyId: string };

/** The request as the API takes it (one object; its schema checks each kind has its fields). */
export interface QuoteBody {
  readonly kind: QuoteRequest['kind'];
  readonly carparkId?: string;
  readonly tenancyId?: string;
  readonly vehicleType?: VehicleType;
}

export function quoteRequestOf(body: QuoteBody): QuoteRequest {
  const missing = (field: string) => new ValidationError(`${field} is needed for this kind of quote.`, [{ path: field, message: 'Required.' }]);
  if (body.kind === 'rent') {
    if (!body.carparkId || !body.vehicleType) throw missing(body.carparkId ? 'vehicleType' : 'carparkId');
    return { kind: 'rent', carparkId: body.carparkId, vehicleType: body.vehicleType };
  }
  if (!body.tenancyId) throw missing('tenancyId');
  if (body.kind === 'cancel') return { kind: 'cancel', tenancyId: body.tenancyId };
  if (!body.vehicleType) throw missing('vehicleType');
  return { kind: 'vehicle_change', tenancyId: body.tenancyId, vehicleType: body.vehicleType };
}

export interface Quote {
  readonly currency: string;
  /** Charged to the card when the change is made (minor units). */
  readonly chargedNow: number;
  /** Unused time given back for the space left, taken off the next renewal (minor units, 0 or more). */
  readonly credited: number;
  /**
   * The next renewal after the change, the credit taken off (never below nothing: a credit larger
   * than the renewal is kept by Stripe for the invoices after it); absent when nothing renews.
   */
  readonly nextRenewal?: { readonly on: string; readonly amount: number };
  /** A cancellation: the last day of access (the end of the period paid for). */
  readonly endsOn?: string;
  /** Send with the rental or the change (within 30 minutes): it is then prorated from this moment. */
  readonly quotedAt: string;
}

export interface QuoteDeps {
  readonly billing: Pick<BillingRepository, 'get'>;
  readonly payments: Pick<PaymentGateway, 'getSubscription' | 'previewInvoice'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly tenancies: Pick<TenancyRepository, 'get'>;
  readonly clock: Clock;
}

/** The quote's moment, when a change made now may still be prorated from it. */
export function honouredQuote(quotedAt: string | undefined, now: Date): string | undefined {
  if (!quotedAt) return undefined;
  const age = now.getTime() - Date.parse(quotedAt);
  return age >= 0 && age <= QUOTE_VALID_MS ? quotedAt : undefined;
}

/** Checks a quote's moment sent with a rental or a change: a clear 400 when it cannot be honoured. */
export function acceptedQuote(quotedAt: string | undefined, now: Date): string | undefined {
  if (quotedAt === undefined) return undefined;
  const honoured = honouredQuote(quotedAt, now);
  if (!honoured) {
    throw new ValidationError('The price shown has expired.', [{ path: 'quotedAt', message: 'Look at the price again (a quote lasts 30 minutes).' }]);
  }
  // Kept in UTC, whatever offset it was sent with: it is compared with other instants.
  return new Date(honoured).toISOString();
}

/** A change of units on prices: +1 on the price taken, -1 on the price given back. */
type Delta = ReadonlyMap<string, { readonly family: string; readonly change: number }>;

export async function quoteChange(deps: QuoteDeps, caller: Principal, request: QuoteRequest): Promise<Quote> {
  if (caller.role !== 'tenant') throw new ForbiddenError('Only tenants rent spaces.');
  const quotedAt = deps.clock.now().toISOString();
  if (request.kind === 'rent') {
    const carpark = await deps.carparks.get(request.carparkId);
    if (!carpark) throw new NotFoundError('Car park');
    const priceId = offeredPrice(carpark, request.vehicleType).priceId;
    await assertCanBeBilled(deps.billing, caller.userId);
    const delta: Delta = new Map([[priceId, { family: priceFamily(carpark.carparkId, request.vehicleType), change: 1 }]]);
    return priced(deps, caller.userId, carpark.currency, delta, quotedAt);
  }

  const tenancy = await ownTenancy(deps, caller, request.tenancyId);
  const family = (type: VehicleType) => priceFamily(tenancy.carparkId, type);
  if (request.kind === 'vehicle_change') {
    if (tenancy.status !== 'active') {
      throw new ConflictError('tenancy_not_active', `Only an active tenancy can be changed; this one is ${tenancy.status}.`);
    }
    if (request.vehicleType === tenancy.vehicleType) {
      throw new ValidationError('That is the vehicle type already.', [{ path: 'vehicleType', message: 'Choose another vehicle type.' }]);
    }
    const carpark = await deps.carparks.get(tenancy.carparkId);
    if (!carpark) throw new NotFoundError('Car park');
    const priceId = offeredPrice(carpark, request.vehicleType).priceId;
    const delta: Delta = new Map([
      [priceId, { family: family(request.vehicleType), change: 1 }],
      [tenancy.priceId, { family: family(tenancy.vehicleType), change: -1 }],
    ]);
    return priced(deps, caller.userId, tenancy.currency, delta, quotedAt);
  }

  // A cancellation: access lasts to the end of the period paid for, which is not credited.
  if (tenancy.status !== 'active') {
    throw new ConflictError('tenancy_not_active', `Only an active tenancy is quoted for cancelling; this one is ${tenancy.status}.`);
  }
  const delta: Delta = new Map([[tenancy.priceId, { family: family(tenancy.vehicleType), change: -1 }]]);
  const account = await deps.billing.get(caller.userId);
  const subscription = account?.subscriptionId ? await deps.payments.getSubscription(account.subscriptionId) : undefined;
  const base = { currency: tenancy.currency, chargedNow: 0, credited: 0, quotedAt, ...(tenancy.renewsAt ? { endsOn: tenancy.renewsAt } : {}) };
  if (!account?.customerId || !subscription) return base;
  const left = subscription.items.reduce((sum, i) => sum + i.quantity, 0) - 1;
  if (left <= 0) return base;
  const after = renewalItems(subscription, delta);
  const renewal = await deps.payments.previewInvoice({
    customerId: account.customerId,
    subscriptionId: subscription.subscriptionId,
    items: after,
    proration: 'none',
    prorationDate: quotedAt,
  });
  return { ...base, nextRenewal: { on: renewalDate(subscription, renewal), amount: renewal.total } };
}


async function ownTenancy(deps: QuoteDeps, caller: Principal, tenancyId: string): Promise<Tenancy> {
  const tenancy = await deps.tenancies.get(tenancyId);
  if (!tenancy || tenancy.userId !== caller.userId) throw new NotFoundError('Tenancy');
  return tenancy;
}

/**
 * The same steps as sync billing: growth charged at once (prorated from the quote's moment), a
 * space given back credited for its unused time (a vehicle change), then the renewal after both.
 */
async function priced(deps: QuoteDeps, userId: string, currency: string, delta: Delta, quotedAt: string): Promise<Quote> {
  const account = await deps.billing.get(userId);
  if (!account?.customerId) throw new ConflictError('payment_method_required', 'Add a card before renting a space: PATCH /billing with a payment method.');
  const customerId = account.customerId;
  let subscription = account.subscriptionId ? await deps.payments.getSubscription(account.subscriptionId) : undefined;
  if (subscription && ['canceled', 'incomplete_expired'].includes(subscription.status)) subscription = undefined;

  if (!subscription) {
    // The first space: a new subscription, its first month charged now and again at each renewal.
    const items = [...delta].filter(([, d]) => d.change > 0).map(([priceId, d]) => ({ priceId, quantity: d.change }));
    const first = await deps.payments.previewInvoice({ customerId, items, proration: 'none', prorationDate: quotedAt });
    const monthly = first.lines.filter((l) => !l.proration).reduce((sum, l) => sum + l.amount, 0);
    return { currency, chargedNow: first.amountDue, credited: 0, nextRenewal: { on: first.periodEnd, amount: monthly }, quotedAt };
  }

  const preview = (items: PreviewItem[], proration: 'always_invoice' | 'none') =>
    deps.payments.previewInvoice({ customerId, subscriptionId: subscription.subscriptionId, items, proration, prorationDate: quotedAt });
  const growth = [...delta].filter(([, d]) => d.change > 0);
  const shrink = [...delta].filter(([, d]) => d.change < 0);
  const charge = growth.length ? await preview(growth.map(([priceId, d]) => grown(subscription, priceId, d.change)), 'always_invoice') : undefined;
  const credit = shrink.length ? await preview(shrink.map(([priceId, d]) => shrunk(subscription, priceId, d)), 'always_invoice') : undefined;
  const renewal = await preview(renewalItems(subscription, delta), 'none');
  const credited = Math.max(0, -(credit?.total ?? 0));
  return {
    currency,
    chargedNow: charge?.amountDue ?? 0,
    credited,
    nextRenewal: { on: renewalDate(subscription, renewal), amount: Math.max(0, renewal.total - credited) },
    quotedAt,
  };
}

/** Growth on a price: the item on it grows; without one, a new item (as sync billing adds it). */
function grown(subscription: SubscriptionState, priceId: string, change: number): PreviewItem {
  const item = subscription.items.find((i) => i.priceId === priceId);
  return item ? { itemId: item.itemId, quantity: item.quantity + change } : { priceId, quantity: change };
}

/** A space given back: from the item on that price (or on a price its car park has since replaced). */
function shrunk(subscription: SubscriptionState, priceId: string, d: { family: string; change: number }): PreviewItem {
  const item = subscription.items.find((i) => i.priceId === priceId) ?? subscription.items.find((i) => i.family === d.family);
  if (!item) return { priceId, quantity: 0, deleted: true };
  const quantity = item.quantity + d.change;
  return quantity > 0 ? { itemId: item.itemId, quantity } : { itemId: item.itemId, deleted: true };
}

/**
 * The subscription after the change, as the next renewal bills it: every item of a price's family
 * on the car park's current price (sync billing moves superseded ones first), quantities changed.
 */
function renewalItems(subscription: SubscriptionState, delta: Delta): PreviewItem[] {
  const items: PreviewItem[] = [];
  for (const [priceId, d] of delta) {
    const onFamily = subscription.items.filter((i) => i.priceId === priceId || (i.family !== undefined && i.family === d.family));
    const quantity = onFamily.reduce((sum, i) => sum + i.quantity, 0) + d.change;
    const [keep, ...merged] = onFamily;
    if (keep) {
      items.push(quantity > 0 ? { itemId: keep.itemId, priceId, quantity } : { itemId: keep.itemId, deleted: true });
    } else if (quantity > 0) {
      items.push({ priceId, quantity });
    }
    for (const item of merged) items.push({ itemId: item.itemId, deleted: true });
  }
  return items;
}

/** When the next renewal is: the end of the period paid for (the preview's lines say the same). */
function renewalDate(subscription: SubscriptionState, renewal: InvoicePreview): string {
  return subscription.currentPeriodEnd ?? renewal.periodStart;
}
