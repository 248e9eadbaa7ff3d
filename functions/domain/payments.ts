/**
 * Paid invoices: record the payment and email a receipt, exactly once however often and in
 * whatever order Stripe delivers the event. A receipt is claimed for a short lease before it is
 * sent and marked sent after; a failed send gives the claim back, so the retry sends it.
 */
import type { BarrierAccess } from './barrier';
import type { BillingRepository } from './billing';
import type { Clock } from './clock';
import type { CarparkRepository, Mailer } from './ports';
import type { TenancyRepository } from './tenancies';
import type { User } from './users';
import { DEFAULT_TIME_ZONE, formatDay, linkedHtml, type PortalLinks } from './email-format';

export interface PaidInvoice {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly number: string | null;
  readonly amountPaid: number;
  readonly currency: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly priceIds: readonly string[];
}

export type ReceiptClaim = 'claimed' | 'sent_already' | 'in_progress';

export interface PaymentStore {
  userForCustomer(customerId: string): Promise<string | undefined>;
  /** Records the payment if new, and claims its receipt unless it was sent or another holds it. */
  claimReceipt(invoice: PaidInvoice & { userId: string }, now: Date, leaseMs: number): Promise<ReceiptClaim>;
  markReceiptSent(invoiceId: string, now: Date): Promise<void>;
  releaseReceipt(invoiceId: string): Promise<void>;
}

export interface PaymentDeps {
  readonly payments: PaymentStore;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly tenancies: Pick<TenancyRepository, 'listByUser'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** The portal's pages, for the link to the invoice. */
  readonly links: PortalLinks;
}

const RECEIPT_LEASE_MS = 60_000;

export type ReceiptOutcome = 'sent' | 'sent_already' | 'in_progress' | 'unknown_customer';

export async function recordInvoicePaid(deps: PaymentDeps, invoice: PaidInvoice): Promise<ReceiptOutcome> {
  const userId = await deps.payments.userForCustomer(invoice.customerId);
  if (!userId) return 'unknown_customer';
  const claim = await deps.payments.claimReceipt({ ...invoice, userId }, deps.clock.now(), RECEIPT_LEASE_MS);
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

async function sendReceipt(deps: PaymentDeps, userId: string, invoice: PaidInvoice): Promise<void> {
  const user = await deps.users.get(userId);
  if (!user) throw new Error(`User ${userId} of customer ${invoice.customerId} not found`);
  const { items } = await deps.tenancies.listByUser(userId, { limit: 100 });
  const billed = items.filter((t) => invoice.priceIds.includes(t.priceId) && t.status !== 'failed');
  const carparkNames = new Map<string, string>();
  for (const id of new Set(billed.map((t) => t.carparkId))) carparkNames.set(id, (await deps.carparks.get(id))?.name ?? 'Car park');

  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: invoice.currency.toUpperCase() }).format(invoice.amountPaid / 100);
  const firstCarpark = billed[0] ? await deps.carparks.get(billed[0].carparkId) : undefined;
  const timeZone = firstCarpark?.timeZone ?? DEFAULT_TIME_ZONE;
  const day = (iso: string) => formatDay(iso, timeZone);
  const link = deps.links.invoice(invoice.invoiceId);
  const lines = billed.map((t) => `${carparkNames.get(t.carparkId)}: ${t.vehicleType} space for ${t.plate}`);
  const text = [
    `Hello ${user.name},`,
    '',
    `Thank you: we received ${money}${invoice.number ? ` for invoice ${invoice.number}` : ''}, covering ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}.`,
    ...(lines.length > 0 ? ['', ...lines] : []),
    '',
    `Your invoice: ${link}`,
    '',
    'Carpark Tenancy',
  ].join('\n');
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
  readonly tenancies: Pick<TenancyRepository, 'listByUser' | 'release'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly barrier: Pick<BarrierAccess, 'revoke'>;
  readonly billing: Pick<BillingRepository, 'get' | 'recordSubscription'>;
  readonly clock: Clock;
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
): Promise<{ ended: string[] }> {
  const userId = await deps.payments.userForCustomer(event.customerId);
  if (!userId) return { ended: [] };
  const account = await deps.billing.get(userId);
  // An old subscription's deletion arriving late must not end tenancies billed on a newer one.
  if (account?.subscriptionId && account.subscriptionId !== event.subscriptionId) return { ended: [] };
  if (account?.subscriptionId) await deps.billing.recordSubscription(userId, undefined);

  const ended: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.tenancies.listByUser(userId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const tenancy of page.items.filter((t) => ['active', 'cancelling', 'suspended'].includes(t.status))) {
      // Revoke first: if SmartParking fails, the event is retried and the tenancy is still live,
      // so the barrier status it records is never ahead of the barrier.
      const carpark = await deps.carparks.get(tenancy.carparkId);
      if (carpark) await deps.barrier.revoke({ siteId: carpark.smartParkingSiteId, plate: tenancy.plate });
      const now = deps.clock.now().toISOString();
      const released = await deps.tenancies.release(tenancy, ['active', 'cancelling', 'suspended'], 'ended', {
        endsAt: now,
        barrier: { status: 'revoked', changedAt: now },
        suspendedFrom: undefined,
        arrears: undefined,
        updatedAt: now,
      });
      if (released) ended.push(tenancy.tenancyId);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { ended };
}
