/**
 * Billing: one Stripe customer and at most one subscription per tenant, with one subscription
 * item per price (car park × vehicle type) whose quantity is the number of live tenancies on it.
 *
 * Quantities are counted in DynamoDB, in the same transactions that reserve and release spaces
 * (billing lines, see docs/data-model.md). Stripe is then brought to match them by
 * `syncSubscription`, which is convergent: whatever state Stripe is in and however many workflows
 * run it at once, the last run to finish leaves Stripe equal to the counts. That is what makes
 * every lifecycle case (first tenancy, another of a type, a new type, a cancellation, the last
 * cancellation) one code path.
 */
import type { Clock } from './clock';
import { ConflictError } from './errors';
import type { Principal } from './identity';
import type { TenancyRepository } from './tenancies';
import type { TenancyTimelineStore } from './tenancy-timeline';
import type { User } from './users';

export interface CardSummary {
  readonly paymentMethodId: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
}

export interface BillingCustomer {
  readonly customerId: string;
  readonly email: string | null;
  readonly name: string | null;
  readonly defaultCard?: CardSummary;
}

/** One line of a Stripe invoice: what was charged (or credited) for which period. */
export interface InvoiceLine {
  /** The price the line bills, or null for a line without one (a one-off item). */
  readonly priceId: string | null;
  readonly description: string | null;
  readonly quantity: number;
  /** Minor units; negative for a credit (unused time). */
  readonly amount: number;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** A proration: part of a period, charged or credited because the quantity or price changed. */
  readonly proration: boolean;
}

export interface InvoiceSummary {
  readonly invoiceId: string;
  readonly number: string | null;
  readonly status: string | null;
  readonly amountDue: number;
  readonly amountPaid: number;
  readonly currency: string;
  /** The service period the invoice pays for: its subscription lines' periods (see servicePeriod). */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly createdAt: string;
  readonly hostedInvoiceUrl: string | null;
  /** Every line of the invoice (Stripe's list followed to its end). */
  readonly lines: readonly InvoiceLine[];
}

/**
 * The period an invoice pays for. Stripe's `invoice.period_start/period_end` is the window in
 * which pending invoice items were gathered (for a first invoice, one instant; for a renewal, the
 * month before), not the service period: that is on the lines. The regular (non-proration) lines
 * decide when there are any; an invoice of prorations only (a quantity change) covers from the
 * change to the period end. `fallback` is for an invoice without lines.
 */
export function servicePeriod(
  lines: readonly Pick<InvoiceLine, 'periodStart' | 'periodEnd' | 'proration'>[],
  fallback: { periodStart: string; periodEnd: string },
): { periodStart: string; periodEnd: string } {
  const regular = lines.filter((l) => !l.proration);
  const chosen = regular.length > 0 ? regular : lines;
  if (chosen.length === 0) return { periodStart: fallback.periodStart, periodEnd: fallback.periodEnd };
  const starts = chosen.map((l) => l.periodStart).sort();
  const ends = chosen.map((l) => l.periodEnd).sort();
  return { periodStart: starts[0] as string, periodEnd: ends.at(-1) as string };
}

/** An invoice as dunning and card-update reattempts see it. */
export interface CollectibleInvoice {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly number: string | null;
  /** Stripe's status: `open` is unpaid and collectible; `paid`, `void`, `uncollectible` are settled. */
  readonly status: string | null;
  readonly amountDue: number;
  readonly amountRemaining: number;
  readonly currency: string;
  readonly hostedInvoiceUrl: string | null;
  /** When the invoice fell due (finalized), ISO: the dunning schedule counts from here. */
  readonly dueSince: string;
  /** Stripe's `billing_reason`: `subscription_cycle` for a renewal, `subscription_create`/`_update` for taking a space. */
  readonly billingReason?: string | null;
}

/** What one attempt to collect an open invoice came to. */
export type CollectionAttempt = 'paid' | 'declined' | 'authentication_required' | 'not_open';

/** A tenant's own attempt to pay an invoice now, in the detail the tenant is shown. */
export type PaymentAttempt =
  | { readonly outcome: 'paid'; readonly invoice: InvoiceSummary }
  | { readonly outcome: 'declined'; readonly message: string }
  /** The bank wants the cardholder to authenticate (3-D Secure): Stripe.js completes it with this secret. */
  | { readonly outcome: 'authentication_required'; readonly clientSecret: string | null; readonly message: string }
  | { readonly outcome: 'not_open'; readonly status: string | null };

export interface SubscriptionItemState {
  readonly itemId: string;
  readonly priceId: string;
  readonly quantity: number;
  /** The car park and vehicle type its price is for (`priceFamily`), from the price's metadata. */
  readonly family?: string;
}

/**
 * What a price is for: one car park's space of one vehicle type. A car park's new price for a
 * type supersedes the old one in the same family, so billing moves spaces from one to the other.
 */
export const priceFamily = (carparkId: string, vehicleType: string): string => `${carparkId}#${vehicleType}`;

export interface SubscriptionState {
  readonly subscriptionId: string;
  /** The Stripe customer it bills (absent in hand-built states). */
  readonly customerId?: string;
  readonly status: string;
  readonly items: readonly SubscriptionItemState[];
  /** The period already paid for (ISO), when known. */
  readonly currentPeriodStart?: string;
  readonly currentPeriodEnd?: string;
}

/**
 * One item of a previewed subscription: an existing item changed (`itemId`, with a new quantity,
 * a new price, or deleted) or a new one (`priceId` and `quantity`).
 */
export interface PreviewItem {
  readonly itemId?: string;
  readonly priceId?: string;
  readonly quantity?: number;
  readonly deleted?: boolean;
}

/** An invoice Stripe would raise, not raised: its total may be negative (a credit). */
export type InvoicePreview = InvoiceSummary & { readonly total: number };

export interface PriceRequest {
  readonly carparkId: string;
  readonly productId: string;
  readonly vehicleType: string;
  readonly amount: number;
  readonly currency: string;
}

/** Stripe, as the platform uses it. Every write takes an idempotency key. */
export interface PaymentGateway {
  createCustomer(input: { userId: string; email: string; name: string }, idempotencyKey: string): Promise<BillingCustomer>;
  getCustomer(customerId: string): Promise<BillingCustomer | undefined>;
  updateCustomer(customerId: string, changes: { email?: string; name?: string }): Promise<BillingCustomer>;
  /** Attaches the payment method to the customer and makes it the default for invoices. */
  setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<BillingCustomer>;
  createSetupIntent(customerId: string): Promise<{ setupIntentId: string; clientSecret: string }>;
  upcomingInvoice(customerId: string): Promise<InvoiceSummary | undefined>;
  recentInvoices(customerId: string, limit: number): Promise<InvoiceSummary[]>;
  getInvoice(invoiceId: string): Promise<CollectibleInvoice | undefined>;
  /** The invoice as Stripe has it now, with all its lines (what a receipt is written from). */
  invoiceDetail(invoiceId: string): Promise<(InvoiceSummary & { customerId: string }) | undefined>;
  /** The customer's invoices with status `open` (unpaid), oldest first. */
  openInvoices(customerId: string): Promise<CollectibleInvoice[]>;
  /**
   * Charges an open invoice now with the given card (or the customer's default). `not_open` when
   * it is no longer open (paid meanwhile, voided): an invoice is never paid twice.
   */
  payInvoice(invoiceId: string, options: { paymentMethodId?: string }, idempotencyKey: string): Promise<CollectionAttempt>;
  /** Charges an open invoice now with this card, on the tenant's behalf, reporting why it failed. */
  attemptPayment(invoiceId: string, paymentMethodId: string, idempotencyKey: string): Promise<PaymentAttempt>;
  /** The client secret of the open invoice's payment, for Stripe.js to authenticate it (null when there is none). */
  paymentClientSecret(invoiceId: string): Promise<string | null>;
  /** Whether the open invoice's payment waits for the card holder to authenticate it (3-D Secure). */
  paymentNeedsAuthentication(invoiceId: string): Promise<boolean>;

  createProduct(input: { carparkId: string; name: string }, idempotencyKey: string): Promise<string>;
  createPrice(input: PriceRequest, idempotencyKey: string): Promise<string>;
  deactivatePrice(priceId: string): Promise<void>;

  getSubscription(subscriptionId: string): Promise<SubscriptionState | undefined>;
  /** The customer's subscription that is not over (at most one, by this platform's rule). */
  findOpenSubscription(customerId: string): Promise<SubscriptionState | undefined>;
  /**
   * `allowIncomplete`: a charge the bank wants authenticated leaves the subscription (or the
   * change) in place with its invoice open, for the tenant to authenticate, instead of refusing.
   */
  createSubscription(
    input: { customerId: string; userId: string; items: readonly { priceId: string; quantity: number }[]; allowIncomplete?: boolean },
    idempotencyKey: string,
  ): Promise<SubscriptionState>;
  /**
   * What Stripe would invoice, charging nothing. With a subscription: `always_invoice`, the invoice
   * the change would raise at once (prorated from `prorationDate`); `none`, the next renewal after
   * it. Without: the first invoice of a subscription of these items.
   */
  previewInvoice(input: {
    customerId: string;
    subscriptionId?: string;
    items: readonly PreviewItem[];
    proration: 'always_invoice' | 'none';
    prorationDate: string;
  }): Promise<InvoicePreview>;
  /**
   * `prorationDate`: charge the growth from then (a quote's moment), not from now. Throws
   * ItemAlreadyOnSubscriptionError when an item on the price is already there.
   */
  addItem(
    subscriptionId: string,
    item: { priceId: string; quantity: number; allowIncomplete?: boolean; prorationDate?: string },
    idempotencyKey: string,
  ): Promise<void>;
  /**
   * Growth is invoiced at once. Shrinking credits the unused time only when `credit` is set: an
   * undone setup is credited, a tenancy ending at the end of its paid period is not.
   */
  setItemQuantity(
    itemId: string,
    change: { quantity: number; growth: boolean; credit: boolean; allowIncomplete?: boolean; prorationDate?: string },
    idempotencyKey: string,
  ): Promise<void>;
  /**
   * The subscription's latest invoice when it charges for taking a space (its creation or a
   * change, never a renewal) and its payment waits for the card holder to authenticate it. With
   * `orUnpaid`, also when that open invoice's payment was refused outright.
   */
  awaitingAuthentication(subscriptionId: string, options?: { orUnpaid?: boolean }): Promise<string | undefined>;
  /** Voids an open invoice (a charge never confirmed); a paid or void one is left as it is. */
  voidInvoice(invoiceId: string, idempotencyKey: string): Promise<void>;
  /** `prorationDate`: with `credit`, the unused time counted from then (a quote's moment). */
  removeItem(itemId: string, change: { credit: boolean; prorationDate?: string }, idempotencyKey: string): Promise<void>;
  /**
   * Moves an item onto another price with no proration: nothing is charged or credited now, and
   * the next renewal bills the new price (a car park's price change reaching existing tenancies).
   */
  changeItemPrice(itemId: string, change: { priceId: string; quantity: number }, idempotencyKey: string): Promise<void>;
  cancelSubscription(subscriptionId: string, change: { credit: boolean }, idempotencyKey: string): Promise<void>;
}

/** Step Functions match on these names (Retry/Catch `ErrorEquals`). */
export const PAYMENT_ERROR_NAMES = {
  declined: 'PaymentDeclined',
  unavailable: 'PaymentProviderUnavailable',
  busy: 'BillingBusy',
} as const;

/** The card was refused; retrying will not help until the tenant changes card. */
export class PaymentDeclinedError extends Error {
  override readonly name = PAYMENT_ERROR_NAMES.declined;
}

/**
 * The bank asks the cardholder to authenticate the payment (SCA, 3-D Secure). Workflows treat it
 * as a decline (same error name); the message starts with `authentication_required` so the
 * tenant is told what fixes it: a card set up for future payments, or authenticating.
 */
export class PaymentAuthenticationRequiredError extends PaymentDeclinedError {
  constructor(message: string) {
    super(`${AUTHENTICATION_REQUIRED}: ${message}`);
  }
}
export const AUTHENTICATION_REQUIRED = 'authentication_required';

/** Stripe could not be reached or failed (5xx, timeout, rate limit): retry with backoff. */
export class PaymentProviderUnavailableError extends Error {
  override readonly name = PAYMENT_ERROR_NAMES.unavailable;
}

/**
 * The subscription already has an item on this price: another change of the same tenant added it
 * a moment ago. The sync reads the subscription again and adjusts that item instead.
 */
export class ItemAlreadyOnSubscriptionError extends Error {
  override readonly name = 'ItemAlreadyOnSubscription';
}

/** Another workflow is creating this tenant's subscription right now: retry shortly. */
export class BillingBusyError extends Error {
  override readonly name = PAYMENT_ERROR_NAMES.busy;
}

export interface BillingLine {
  readonly priceId: string;
  readonly quantity: number;
  /** `priceFamily` of the tenancies counted on it (absent on lines written before it was kept). */
  readonly family?: string;
}

export interface BillingAccount {
  readonly userId: string;
  readonly customerId?: string;
  readonly subscriptionId?: string;
  readonly defaultCard?: CardSummary;
  /** Bumped by every change to the lines; a sync is done when Stripe matches the latest. */
  readonly version: number;
  readonly lines: readonly BillingLine[];
  /** Invoices under dunning and not yet settled (read in the same query as the lines). */
  readonly unpaidInvoiceIds?: readonly string[];
}

export interface BillingRepository {
  /** The account and its lines, read consistently in one query. */
  get(userId: string): Promise<BillingAccount | undefined>;
  /** Records the customer unless one is recorded already; returns the account either way. */
  recordCustomer(userId: string, customerId: string): Promise<BillingAccount>;
  /** Records the subscription (or its end) and drops any creation claim. */
  recordSubscription(userId: string, subscriptionId: string | undefined): Promise<void>;
  /**
   * Claims the right to create the tenant's subscription: true for the first caller, for the
   * holder of `key`, or when the previous claim is older than `staleAfterMs` (its holder died).
   */
  claimSubscriptionCreation(userId: string, key: string, now: Date, staleAfterMs: number): Promise<boolean>;
  /** Gives up a claim that did not lead to a subscription (e.g. the card was declined). */
  releaseSubscriptionClaim(userId: string, key: string): Promise<void>;
  recordDefaultCard(userId: string, card: CardSummary | undefined): Promise<void>;
}

export interface BillingDeps {
  readonly billing: BillingRepository;
  readonly payments: PaymentGateway;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly clock: Clock;
  /** Waits between checks on a concurrent subscription creation (a timer in production). */
  readonly pause?: (ms: number) => Promise<void>;
}

// --- customer --------------------------------------------------------------------------------------

/**
 * The tenant's Stripe customer, created on first need. The idempotency key is the user id, so
 * two concurrent calls (or a retried one) create one customer.
 */
export async function ensureCustomer(deps: BillingDeps, userId: string): Promise<BillingAccount & { customerId: string }> {
  const account = await deps.billing.get(userId);
  if (account?.customerId) return account as BillingAccount & { customerId: string };
  const user = await deps.users.get(userId);
  if (!user) throw new Error(`User ${userId} not found`);
  const customer = await deps.payments.createCustomer({ userId, email: user.email, name: user.name }, `customer-${userId}`);
  return (await deps.billing.recordCustomer(userId, customer.customerId)) as BillingAccount & { customerId: string };
}

export interface BillingOverview {
  readonly customerId: string | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly defaultCard: Omit<CardSummary, 'paymentMethodId'> | null;
  readonly upcomingInvoice: InvoiceSummary | null;
  readonly recentInvoices: InvoiceSummary[];
}

export async function getBillingOverview(deps: BillingDeps, caller: Principal): Promise<BillingOverview> {
  const account = await deps.billing.get(caller.userId);
  if (!account?.customerId) {
    return { customerId: null, email: null, name: null, defaultCard: null, upcomingInvoice: null, recentInvoices: [] };
  }
  const [customer, upcoming, recent] = await Promise.all([
    deps.payments.getCustomer(account.customerId),
    account.subscriptionId ? deps.payments.upcomingInvoice(account.customerId) : Promise.resolve(undefined),
    deps.payments.recentInvoices(account.customerId, 10),
  ]);
  const card = customer?.defaultCard;
  return {
    customerId: account.customerId,
    email: customer?.email ?? null,
    name: customer?.name ?? null,
    defaultCard: card ? { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null,
    upcomingInvoice: upcoming ?? null,
    recentInvoices: recent,
  };
}

/** A new card goes on the timeline of the tenant's billed tenancies. */
export interface CardChangeDeps {
  readonly tenancies: Pick<TenancyRepository, 'allOfUser'>;
  readonly timeline: Pick<TenancyTimelineStore, 'record'>;
}

export async function updateBilling(
  deps: BillingDeps & CardChangeDeps,
  caller: Principal,
  changes: { email?: string; name?: string; defaultPaymentMethod?: string },
): Promise<BillingOverview> {
  const { customerId } = await ensureCustomer(deps, caller.userId);
  if (changes.email !== undefined || changes.name !== undefined) {
    await deps.payments.updateCustomer(customerId, {
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
    });
  }
  if (changes.defaultPaymentMethod) {
    const customer = await deps.payments.setDefaultPaymentMethod(customerId, changes.defaultPaymentMethod);
    await deps.billing.recordDefaultCard(caller.userId, customer.defaultCard);
    const at = deps.clock.now().toISOString();
    const billed = (await deps.tenancies.allOfUser(caller.userId)).filter((t) => ['active', 'cancelling', 'suspended'].includes(t.status));
    await deps.timeline.record(billed.map((t) => ({ tenancyId: t.tenancyId, at, kind: 'card_updated', source: 'tenant' })));
  }
  return getBillingOverview(deps, caller);
}

export async function createSetupIntent(deps: BillingDeps, caller: Principal) {
  const { customerId } = await ensureCustomer(deps, caller.userId);
  return deps.payments.createSetupIntent(customerId);
}

/** A tenancy can only be taken with a card on file: the first invoice is charged at once. */
export async function assertCanBeBilled(billing: Pick<BillingRepository, 'get'>, userId: string): Promise<void> {
  const account = await billing.get(userId);
  if (!account?.customerId || !account.defaultCard) {
    throw new ConflictError('payment_method_required', 'Add a card before renting a space: PATCH /billing with a payment method.');
  }
  if (account.unpaidInvoiceIds?.length) {
    throw new ConflictError(
      'payment_overdue',
      'An invoice is unpaid. Pay it (the link is in our email) or update your card with PATCH /billing, then rent another space.',
    );
  }
}

// --- subscription sync -----------------------------------------------------------------------------

/** Enough for any realistic burst of concurrent changes; each round re-reads the counts. */
const MAX_SYNC_ROUNDS = 8;
/** How long a sync waits for another one creating the same subscription before giving up. */
const CREATION_WAIT = { checks: 15, intervalMs: 200 };
/** A creation claim older than this belongs to a run that died. */
const CREATION_CLAIM_STALE_MS = 2 * 60 * 1000;
const defaultPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SyncResult {
  readonly subscription?: SubscriptionState;
  readonly version: number;
  readonly rounds: number;
  /** With `authenticate`: the invoice whose payment the tenant must authenticate before it counts. */
  readonly awaitingAuthentication?: string;
}

/**
 * Brings the tenant's Stripe subscription to the quantities counted in DynamoDB: creates it,
 * adds, resizes and removes items, or cancels it when nothing is left. Idempotency keys combine
 * the caller's key (workflow execution and state) with the counts' version and the price, so a
 * retried step replays Stripe's answers instead of writing twice.
 */
/**
 * `converge` moves Stripe both ways (used after taking a space). `shrink` only lowers, removes or
 * cancels (used after giving one back): a shrink must never charge a card, and growth is left
 * to the workflow of the tenancy that grew, which converges itself.
 */
export type SyncMode = 'converge' | 'shrink';

export async function syncSubscription(
  deps: BillingDeps,
  userId: string,
  keyPrefix: string,
  {
    credit = false,
    mode = 'converge',
    authenticate = false,
    prorationDate,
  }: {
    credit?: boolean;
    mode?: SyncMode;
    authenticate?: boolean;
    /** When the tenant was shown the charge (a quote): growth and credits are prorated from then, so they are what was shown. */
    prorationDate?: string;
  } = {},
): Promise<SyncResult> {
  /**
   * Charges off-session, refusing what the card cannot pay. With `authenticate`, a charge the
   * bank wants authenticated is made again (its own key: Stripe replays a stored 402 for the
   * first) leaving the invoice open for the tenant to authenticate.
   */
  let leftIncomplete = false;
  const charge = async (run: (allowIncomplete: boolean, suffix: string) => Promise<unknown>) => {
    try {
      await run(false, '');
    } catch (error) {
      if (!authenticate || !(error instanceof PaymentAuthenticationRequiredError)) throw error;
      leftIncomplete = true;
      await run(true, ':incomplete');
    }
  };
  for (let round = 1; round <= MAX_SYNC_ROUNDS; round++) {
    const account = await deps.billing.get(userId);
    if (!account) return { version: 0, rounds: round };
    const key = (step: string) => `${keyPrefix}:v${account.version}:${step}`;
    const desired = new Map(account.lines.filter((l) => l.quantity > 0).map((l) => [l.priceId, l.quantity]));

    let subscription = account.subscriptionId ? await deps.payments.getSubscription(account.subscriptionId) : undefined;
    if (subscription && ['canceled', 'incomplete_expired'].includes(subscription.status)) {
      // Ended at Stripe (cancelled there, or by unpaid invoices): forget it, a new one may be needed.
      await deps.billing.recordSubscription(userId, undefined);
      subscription = undefined;
    }
    if (!subscription && account.customerId) {
      // Created by a run whose answer was lost (a timeout after Stripe acted): adopt it, never make a second.
      subscription = await deps.payments.findOpenSubscription(account.customerId);
      if (subscription) await deps.billing.recordSubscription(userId, subscription.subscriptionId);
    }

    if (desired.size === 0) {
      if (subscription) await deps.payments.cancelSubscription(subscription.subscriptionId, { credit }, key('cancel'));
      if (account.subscriptionId) await deps.billing.recordSubscription(userId, undefined);
      subscription = undefined;
    } else if (!subscription) {
      if (mode === 'shrink') return { version: account.version, rounds: round };
      if (!account.customerId) throw new Error(`User ${userId} has billing lines but no customer`);
      // Two setups of one tenant may both find no subscription: only the claim holder creates it.
      if (!(await deps.billing.claimSubscriptionCreation(userId, key('create'), deps.clock.now(), CREATION_CLAIM_STALE_MS))) {
        await waitForConcurrentCreation(deps, userId);
        continue;
      }
      const customerId = account.customerId;
      try {
        await charge(async (allowIncomplete, suffix) => {
          subscription = await deps.payments.createSubscription(
            { customerId, userId, items: [...desired].map(([priceId, quantity]) => ({ priceId, quantity })), allowIncomplete },
            key(`create${suffix}`),
          );
        });
      } catch (error) {
        await deps.billing.releaseSubscriptionClaim(userId, key('create'));
        throw error;
      }
      await deps.billing.recordSubscription(userId, subscription!.subscriptionId);
    } else {
      const subscriptionId = subscription.subscriptionId;
      if (await moveSupersededItems(deps, subscription, account.lines, desired, key)) {
        subscription = (await deps.payments.getSubscription(subscriptionId)) ?? subscription;
      }
      const current = new Map(subscription.items.map((i) => [i.priceId, i]));
      // Stripe prorates only within the period being billed: a quote from before a renewal no longer applies.
      const from =
        prorationDate && subscription.currentPeriodStart && Date.parse(prorationDate) >= Date.parse(subscription.currentPeriodStart) ? { prorationDate } : {};
      // Grow before shrinking: a subscription must always keep at least one item.
      let raced = false;
      for (const [priceId, quantity] of desired) {
        const item = current.get(priceId);
        if (mode === 'shrink' && (!item || item.quantity <= quantity)) continue;
        if (!item) {
          try {
            await charge((allowIncomplete, suffix) => deps.payments.addItem(subscriptionId, { priceId, quantity, allowIncomplete, ...from }, key(`add:${priceId}${suffix}`)));
          } catch (error) {
            if (!(error instanceof ItemAlreadyOnSubscriptionError)) throw error;
            // A sync of the same tenant added it meanwhile (two rentals at once): read Stripe again.
            raced = true;
            break;
          }
        } else if (item.quantity !== quantity) {
          const growth = quantity > item.quantity;
          await charge((allowIncomplete, suffix) =>
            deps.payments.setItemQuantity(item.itemId, { quantity, growth, credit, allowIncomplete, ...(growth || credit ? from : {}) }, key(`qty:${priceId}:${quantity}${suffix}`)),
          );
        }
      }
      if (raced) continue;
      for (const [priceId, item] of current) {
        if (!desired.has(priceId)) await deps.payments.removeItem(item.itemId, { credit, ...(credit ? from : {}) }, key(`remove:${priceId}`));
      }
    }

    // Another change landed while we talked to Stripe: go round again with the new counts.
    const after = await deps.billing.get(userId);
    if (!after || after.version === account.version || mode === 'shrink') {
      const final = subscription ? await deps.payments.getSubscription(subscription.subscriptionId) : undefined;
      // Asked of Stripe, not remembered: a retried step whose change went through must wait too.
      // A change made again with allow_incomplete is applied even when Stripe declines the card
      // this time instead of asking: the setup must wait on that open invoice too, never go live
      // on it unpaid (unconfirmed, it is voided at the deadline and undone without a credit).
      const awaiting =
        authenticate && final ? await deps.payments.awaitingAuthentication(final.subscriptionId, { orUnpaid: leftIncomplete }) : undefined;
      return { ...(final ? { subscription: final } : {}), version: account.version, rounds: round, ...(awaiting ? { awaitingAuthentication: awaiting } : {}) };
    }
  }
  throw new Error(`Subscription of ${userId} did not settle after ${MAX_SYNC_ROUNDS} rounds`);
}

/**
 * A space billed on a price its car park has since replaced moves to the new price without a
 * charge or a credit: the new amount is billed from the next renewal. An item on a superseded
 * price (same family, no longer counted) becomes the new price's item, or joins it when the tenant
 * already has one; what is left to grow afterwards is a real new space and is charged as usual.
 * True when Stripe was changed.
 */
async function moveSupersededItems(
  deps: BillingDeps,
  subscription: SubscriptionState,
  lines: readonly BillingLine[],
  desired: ReadonlyMap<string, number>,
  key: (step: string) => string,
): Promise<boolean> {
  let moved = false;
  const items = new Map(subscription.items.map((i) => [i.priceId, i]));
  for (const line of lines) {
    if (!line.family || !desired.has(line.priceId)) continue;
    const superseded = subscription.items.filter((i) => i.family === line.family && !desired.has(i.priceId));
    for (const old of superseded) {
      const target = items.get(line.priceId);
      if (!target) {
        await deps.payments.changeItemPrice(old.itemId, { priceId: line.priceId, quantity: old.quantity }, key(`reprice:${old.priceId}:${line.priceId}`));
        items.set(line.priceId, { ...old, priceId: line.priceId });
      } else {
        const quantity = target.quantity + old.quantity;
        await deps.payments.setItemQuantity(target.itemId, { quantity, growth: false, credit: false }, key(`merge:${old.priceId}:${line.priceId}:${quantity}`));
        await deps.payments.removeItem(old.itemId, { credit: false }, key(`merged:${old.priceId}`));
        items.set(line.priceId, { ...target, quantity });
      }
      moved = true;
    }
  }
  return moved;
}

/** Polls until the concurrent creation is recorded; BillingBusy (retried by the workflow) if it is not. */
async function waitForConcurrentCreation(deps: BillingDeps, userId: string): Promise<void> {
  const pause = deps.pause ?? defaultPause;
  for (let check = 0; check < CREATION_WAIT.checks; check++) {
    await pause(CREATION_WAIT.intervalMs);
    if ((await deps.billing.get(userId))?.subscriptionId) return;
  }
  throw new BillingBusyError(`Another workflow is still creating the subscription of ${userId}`);
}
