/**
 * Paid invoices: record the payment and email a receipt, exactly once however often and in
 * whatever order Stripe delivers the event. A receipt is claimed for a short lease before it is
 * sent and marked sent after; a failed send gives the claim back, so the retry sends it.
 */
import type { BarrierAccess } from './barrier';
import type { Carpark } from './carparks';
import type { BillingRepository, InvoiceLine, PaymentGateway } from './billing';
import type { Clock } from './clock';
import type { CarparkRepository, Mailer } from './ports';
import { claimedPlates, type Tenancy, type TenancyRepository, type TenancyStatus } from './tenancies';
import type { SpaceReleases } from './waitlist';
import type { TenancyTimelineStore, TimelineEvent } from './tenancy-timeline';
import type { PaymentStats } from './dashboard';
import type { User } from './users';
import { DEFAULT_TIME_ZONE, formatDay, linkedHtml, type PortalLinks } from './email-format';

export interface PaidInvoice {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly number: string | null;
  readonly amountPaid: number;
  readonly currency: string;
  /** The service period (the subscription lines' periods), not Stripe's `invoice.period_*`. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly lines: readonly InvoiceLine[];
}

export type ReceiptClaim = 'claimed' | 'sent_already' | 'in_progress';

export interface PaymentStore {
  userForCustomer(customerId: string): Promise<string | undefined>;
  /**
   * Records the payment if new, and claims its receipt unless it was sent or another holds it.
   * `recordedAt`: when the payment was first recorded (the same on every redelivery).
   */
  claimReceipt(invoice: PaidInvoice & { userId: string }, now: Date, leaseMs: number): Promise<{ claim: ReceiptClaim; recordedAt: string }>;
  markReceiptSent(invoiceId: string, now: Date): Promise<void>;
  releaseReceipt(invoiceId: string): Promise<void>;
}

export interface PaymentDeps {
  readonly payments: PaymentStore;
  /** Stripe, re-read: a signed event says which invoice, Stripe says what it is now. */
  readonly invoices: Pick<PaymentGateway, 'invoiceDetail'>;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly tenancies: Pick<TenancyRepository, 'allOfUser' | 'transition'>;
  readonly timeline: Pick<TenancyTimelineStore, 'record'>;
  readonly stats: Pick<PaymentStats, 'recordRevenue'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** The portal's pages, for the link to the invoice. */
  readonly links: PortalLinks;
}

const RECEIPT_LEASE_MS = 60_000;

export type ReceiptOutcome = 'sent' | 'sent_already' | 'in_progress' | 'unknown_customer' | 'not_paid';

/**
 * `invoice.paid`: the event only names the invoice. The invoice is read again from Stripe, and a
 * receipt is written from that record, never from the event's body: an invoice Stripe does not
 * have as paid, or has for another customer, or whose customer is not the platform's, gets none.
 */
export async function recordInvoicePaid(deps: PaymentDeps, event: { invoiceId: string; customerId: string }): Promise<ReceiptOutcome> {
  const stripe = await deps.invoices.invoiceDetail(event.invoiceId);
  if (!stripe || stripe.customerId !== event.customerId) return 'unknown_customer';
  if (stripe.status !== 'paid') return 'not_paid';
  const userId = await deps.payments.userForCustomer(stripe.customerId);
  if (!userId) return 'unknown_customer';
  const invoice: PaidInvoice = {
    invoiceId: stripe.invoiceId,
    customerId: stripe.customerId,
    number: stripe.number,
    amountPaid: stripe.amountPaid,
    currency: stripe.currency,
    periodStart: stripe.periodStart,
    periodEnd: stripe.periodEnd,
    lines: stripe.lines,
  };
  const tenancies = await allTenancies(deps, userId);
  await recordRenewal(deps, tenancies, invoice);
  const { claim, recordedAt } = await deps.payments.claimReceipt({ ...invoice, userId }, deps.clock.now(), RECEIPT_LEASE_MS);
  // At the time first recorded: a redelivery rewrites the same entries, whatever the receipt's state.
  const paid = invoicePaidEvents(invoice, tenancies, recordedAt);
  await deps.timeline.record(paid);
  const byId = new Map(tenancies.map((t) => [t.tenancyId, t]));
  await deps.stats.recordRevenue(
    invoice.invoiceId,
    recordedAt,
    paid.map((e) => ({ operatorId: byId.get(e.tenancyId)!.operatorId, carparkId: byId.get(e.tenancyId)!.carparkId, amount: Number(e.detail?.amount ?? 0) })),
  );
  if (claim !== 'claimed') return claim;
  try {
    await sendReceipt(deps, userId, invoice);
  } catch (error) {
    await deps.payments.releaseReceipt(invoice.invoiceId);
    throw error;
  }
  await deps.payments.markReceiptSent(invoice.invoiceId, deps.clock.now());
  return 'sent';
}

/** Statuses whose tenancy is renewed at its period's end (a cancelling one ends then instead). */
const RENEWED: readonly TenancyStatus[] = ['pending', 'active', 'suspended'];

/**
 * A paid invoice of the subscription moves the tenant's tenancies' next renewal on to the end of
 * the period it paid for (all of a tenant's tenancies are on one subscription, so one period).
 * Only forward: a late payment of an older invoice, or a redelivery, changes nothing.
 */
async function recordRenewal(deps: PaymentDeps, tenancies: readonly Tenancy[], invoice: PaidInvoice): Promise<void> {
  if (!invoice.lines.some((l) => l.priceId !== null)) return;
  const at = deps.clock.now().toISOString();
  for (const t of tenancies) {
    if (!RENEWED.includes(t.status) || (t.status === 'suspended' && t.suspendedFrom === 'cancelling')) continue;
    if (t.renewsAt && Date.parse(t.renewsAt) >= Date.parse(invoice.periodEnd)) continue;
    await deps.tenancies.transition(t.tenancyId, RENEWED, { renewsAt: invoice.periodEnd, updatedAt: at });
  }
}

/**
 * A paid invoice on the timeline of each tenancy its lines paid for, with that tenancy's share
 * (its part of each line's amount, credits included), at `at`.
 */
export function invoicePaidEvents(invoice: PaidInvoice, tenancies: readonly Tenancy[], at: string): TimelineEvent[] {
  const shares = new Map<string, number>();
  for (const line of invoice.lines) {
    if (line.priceId === null || line.quantity <= 0) continue;
    for (const t of tenanciesOnLine(line, tenancies)) shares.set(t.tenancyId, (shares.get(t.tenancyId) ?? 0) + Math.round(line.amount / line.quantity));
  }
  return [...shares].map(([tenancyId, amount]) => ({
    tenancyId,
    at,
    kind: 'invoice_paid',
    source: 'stripe',
    detail: { invoiceId: invoice.invoiceId, ...(invoice.number ? { number: invoice.number } : {}), amount, currency: invoice.currency },
  }));
}

const allTenancies = (deps: Pick<PaymentDeps, 'tenancies'>, userId: string): Promise<Tenancy[]> => deps.tenancies.allOfUser(userId);

/**
 * The tenancies an invoice line paid for: the tenant's tenancies on the line's price whose time
 * (from their start to their end, if they end) overlaps the line's period. A tenancy that ended
 * before the period, or starts after it, is not on the line; one whose setup failed never was.
 * Never more than the line's quantity: those still live at the period's end come first.
 */
export function tenanciesOnLine(line: InvoiceLine, tenancies: readonly Tenancy[]): Tenancy[] {
  const start = Date.parse(line.periodStart);
  const end = Date.parse(line.periodEnd);
  const covering = tenancies.filter((t) => {
    if (t.priceId !== line.priceId || t.status === 'failed') return false;
    const from = Date.parse(t.startDate);
    const until = t.endsAt ? Date.parse(t.endsAt) : Number.POSITIVE_INFINITY;
    return from < end && until > start;
  });
  const liveAtEnd = (t: Tenancy) => (t.endsAt ? Date.parse(t.endsAt) >= end : true);
  return covering
    .sort((a, b) => Number(liveAtEnd(b)) - Number(liveAtEnd(a)) || a.startDate.localeCompare(b.startDate))
    .slice(0, Math.max(0, line.quantity));
}

/** The receipt's text: the amount, the service period, one entry per invoice line, and the invoice's page. */
export function receiptText(
  userName: string,
  invoice: PaidInvoice,
  tenancies: readonly Tenancy[],
  carparkNames: ReadonlyMap<string, string>,
  link: string,
  timeZone = DEFAULT_TIME_ZONE,
): string {
  const money = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: invoice.currency.toUpperCase() }).format(minor / 100);
  const day = (iso: string) => formatDay(iso, timeZone);
  const lines = invoice.lines.flatMap((line) => {
    const covered = tenanciesOnLine(line, tenancies);
    const what = line.description ?? `${line.quantity} ×`;
    const head = `${what}: ${money(line.amount)}, ${day(line.periodStart)} to ${day(line.periodEnd)}${line.proration ? ' (adjustment for a change)' : ''}`;
    return [head, ...covered.map((t) => `  ${carparkNames.get(t.carparkId) ?? 'Car park'}: ${t.vehicleType} space for ${t.plate}`)];
  });
  return [
    `Hello ${userName},`,
    '',
    `Thank you: we received ${money(invoice.amountPaid)}${invoice.number ? ` for invoice ${invoice.number}` : ''}, covering ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}.`,
    ...(lines.length > 0 ? ['', ...lines] : []),
    '',
    `Your invoice: ${link}`,
    '',
    'Carpark Tenancy',
  ].join('\n');
}

async function sendReceipt(deps: PaymentDeps, userId: string, invoice: PaidInvoice): Promise<void> {
  const user = await deps.users.get(userId);
  if (!user) throw new Error(`User ${userId} of customer ${invoice.customerId} not found`);
  const tenancies = await allTenancies(deps, userId);
  const billed = invoice.lines.flatMap((line) => tenanciesOnLine(line, tenancies));
  const carparks = new Map<string, Carpark | undefined>();
  for (const id of new Set(billed.map((t) => t.carparkId))) carparks.set(id, await deps.carparks.get(id));
  const carparkNames = new Map([...carparks].map(([id, carpark]) => [id, carpark?.name ?? 'Car park']));
  // Dates read in the car park's time zone (the first one's, when an invoice spans several).
  const timeZone = [...carparks.values()][0]?.timeZone ?? DEFAULT_TIME_ZONE;
  const link = deps.links.invoice(invoice.invoiceId);

  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: invoice.currency.toUpperCase() }).format(invoice.amountPaid / 100);
  const text = receiptText(user.name, invoice, tenancies, carparkNames, link, timeZone);
  await deps.mailer.send({
    to: user.email,
    subject: `Receipt: ${money} paid for your parking`,
    text,
    html: linkedHtml(text, link, 'See this invoice'),
  });
}

// --- a subscription deleted at Stripe ------------------------------------------------------------

export interface SubscriptionEndDeps {
  readonly payments: Pick<PaymentStore, 'userForCustomer'>;
  readonly tenancies: Pick<TenancyRepository, 'allOfUser' | 'release'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly barrier: Pick<BarrierAccess, 'revoke'>;
  readonly billing: Pick<BillingRepository, 'get' | 'recordSubscription'>;
  /** Stripe, re-read: the subscription must really be over, and the event's customer's. */
  readonly subscriptions: Pick<PaymentGateway, 'getSubscription'>;
  readonly clock: Clock;
  /** Each space given back goes to its car park's waitlist first. */
  readonly spaces: SpaceReleases;
}

/**
 * Stripe deleted the tenant's subscription (unpaid invoices ran out of retries, or someone
 * cancelled it in the Stripe dashboard): nothing is billed any more, so every tenancy it paid for
 * ends now, giving back its space and plate. Tenancies still being set up are left to their
 * workflow, which bills them on a new subscription. Safe to run twice: release is conditional.
 */
export async function endTenanciesOfDeletedSubscription(
  deps: SubscriptionEndDeps,
  event: { customerId: string; subscriptionId: string },
): Promise<{ ended: string[]; ignored?: 'unknown_customer' | 'not_ended_at_stripe' }> {
  const userId = await deps.payments.userForCustomer(event.customerId);
  if (!userId) return { ended: [], ignored: 'unknown_customer' };
  // The event says which subscription; Stripe says whether it is over and whose it is.
  const stripe = await deps.subscriptions.getSubscription(event.subscriptionId);
  if (!stripe || stripe.customerId !== event.customerId) return { ended: [], ignored: 'unknown_customer' };
  if (!['canceled', 'incomplete_expired'].includes(stripe.status)) return { ended: [], ignored: 'not_ended_at_stripe' };
  const account = await deps.billing.get(userId);
  // An old subscription's deletion arriving late must not end tenancies billed on a newer one.
  if (account?.subscriptionId && account.subscriptionId !== event.subscriptionId) return { ended: [] };
  if (account?.subscriptionId) await deps.billing.recordSubscription(userId, undefined);

  const ended: string[] = [];
  const live = (await deps.tenancies.allOfUser(userId)).filter((t) => ['active', 'cancelling', 'suspended'].includes(t.status));
  for (const tenancy of live) {
    // Revoke first: if SmartParking fails, the event is retried and the tenancy is still live,
    // so the barrier status it records is never ahead of the barrier.
    const carpark = await deps.carparks.get(tenancy.carparkId);
    // Every plate it claims; removed ones are revoked by their own workflow when their period ends.
    if (carpark) for (const plate of claimedPlates(tenancy)) await deps.barrier.revoke({ siteId: carpark.smartParkingSiteId, plate });
    const now = deps.clock.now().toISOString();
    const released = await deps.tenancies.release(
      tenancy,
      ['active', 'cancelling', 'suspended'],
      'ended',
      { endsAt: now, barrier: { status: 'revoked', changedAt: now }, suspendedFrom: undefined, arrears: undefined, updatedAt: now },
      undefined,
      { kind: 'ended', source: 'stripe', detail: { subscriptionId: event.subscriptionId } },
    );
    if (released) {
      ended.push(tenancy.tenancyId);
      await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
    }
  }
  return { ended };
}
