/**
 * Dunning: what happens when a tenant's invoice is not paid. The InvoiceDunning workflow
 * (state-machines/invoice-dunning.asl.json) runs one execution per invoice:
 *
 *   open arrears ─> notify ─> wait ─> retry ─┬─ paid ──────────────> settle (reinstate) ─> done
 *                               ^            └─ declined ─> notify ─┘ (until the schedule ends)
 *                               └──────────────────────────────────┘
 *   schedule over, still unpaid ─> suspend (plates revoked) ─> notify ─> done
 *
 * The invoice may be paid at any moment by other means (the tenant's new card, Stripe itself):
 * `invoice.paid` settles the arrears and stops the execution. Every step re-reads the invoice
 * from Stripe before it acts, and suspension is conditioned on the arrears still being open in
 * the same transaction, so a payment racing a step never leaves a paid-up tenant suspended.
 */
import { escapeHtml } from './accounts';
import type { BarrierAccess } from './barrier';
import type { CollectibleInvoice, PaymentGateway } from './billing';
import type { Clock } from './clock';
import type { PaymentStore } from './payments';
import type { CarparkRepository, Mailer } from './ports';
import { claimedPlates, platesOf, removedStillOpen, type Tenancy, type TenancyArrears, type TenancyRepository } from './tenancies';
import { registerPlates, revokePlateOf, revokeUnclaimed } from './barrier-plates';
import type { TenancyTimelineStore, TimelineNote } from './tenancy-timeline';
import type { PaymentStats } from './dashboard';
import type { User } from './users';
import { formatDay, timeZoneOfTenant } from './email-format';

/** Default retry schedule: days after the invoice fell due. */
export const DEFAULT_RETRY_AFTER_DAYS: readonly number[] = [1, 3, 5];
const DAY_MS = 86_400_000;
/** The workflow times out after 40 days (invoice-dunning.asl.json): the last retry comes well before. */
export const MAX_RETRY_DAY = 30;

/** Reads a schedule such as `1,3,5` (days, increasing, fractions allowed); the default when unset. */
export function parseRetrySchedule(text: string | undefined): readonly number[] {
  if (text === undefined || text.trim() === '') return DEFAULT_RETRY_AFTER_DAYS;
  const days = text.split(',').map((part) => Number(part.trim()));
  const valid = days.every((d, i) => Number.isFinite(d) && d > 0 && (i === 0 || d > days[i - 1]!));
  if (!valid) throw new Error(`Dunning retry schedule '${text}' must be increasing positive day counts, e.g. 1,3,5`);
  if (days.at(-1)! > MAX_RETRY_DAY) throw new Error(`Dunning retry schedule '${text}' must end within ${MAX_RETRY_DAY} days`);
  return days;
}

export interface Arrears {
  readonly userId: string;
  readonly customerId: string;
  readonly invoiceId: string;
  readonly number: string | null;
  readonly amountDue: number;
  readonly currency: string;
  readonly hostedInvoiceUrl: string | null;
  /** When the invoice fell due: the schedule counts from here. */
  readonly since: string;
  /** When each retry is due (ISO), in order. */
  readonly retryAt: readonly string[];
  /** `settled` is kept only until the settlement's follow-up (reinstatement, email) is done. */
  readonly state: 'overdue' | 'suspended' | 'settled';
  readonly suspendedAt?: string;
  /** When dunning started (the first time the step recorded them; a retried step keeps it). */
  readonly openedAt?: string;
  /**
   * The bank wants the card holder to authenticate the payment (3-D Secure): retrying off-session
   * cannot succeed, so the emails ask the tenant to confirm it in the portal instead.
   */
  readonly authenticate?: boolean;
}

export interface ArrearsStore {
  /** Records the arrears unless they are recorded already; returns them as stored, and whether new. */
  open(arrears: Arrears): Promise<{ arrears: Arrears; created: boolean }>;
  get(userId: string, invoiceId: string): Promise<Arrears | undefined>;
  /** The tenant's arrears in any state, oldest first (one query). */
  list(userId: string): Promise<Arrears[]>;
  /** Moves overdue arrears to suspended and returns them; undefined when they are gone or settled. */
  markSuspended(userId: string, invoiceId: string, at: string): Promise<Arrears | undefined>;
  /** Marks the arrears settled; returns them as they were before, or undefined when none. */
  markSettled(userId: string, invoiceId: string): Promise<Arrears | undefined>;
  remove(userId: string, invoiceId: string): Promise<void>;
  /** Claims the right to send the "restored" email for these arrears: true once. */
  claimNotice(userId: string, invoiceId: string): Promise<boolean>;
  releaseNotice(userId: string, invoiceId: string): Promise<void>;
  /** Records whether the last attempt asked for authentication (see `Arrears.authenticate`). */
  markAuthentication(userId: string, invoiceId: string, authenticate: boolean): Promise<void>;
}

/** Starts and stops the dunning workflow; one execution per invoice. */
export interface DunningWorkflow {
  start(input: { invoiceId: string; customerId: string }): Promise<'started' | 'already_started'>;
  /** Ends the invoice's execution if it is running: the invoice no longer needs chasing. */
  stop(invoiceId: string, reason: string): Promise<void>;
}

/** What the dunning steps that never call Stripe need (their task bundles carry no Stripe SDK). */
export type DunningStepDeps = Omit<DunningDeps, 'gateway'>;

export interface DunningDeps {
  readonly gateway: Pick<PaymentGateway, 'getInvoice' | 'payInvoice' | 'paymentNeedsAuthentication'>;
  readonly payments: Pick<PaymentStore, 'userForCustomer'>;
  readonly arrears: ArrearsStore;
  readonly tenancies: Pick<TenancyRepository, 'get' | 'listByUser' | 'allOfUser' | 'transition' | 'suspendForArrears' | 'holdForRevocation' | 'endRevocationHold'>;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly barrier: Pick<BarrierAccess, 'register' | 'revoke'>;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** Billing events that change no tenancy (a failed payment, a retry) go on its timeline here. */
  readonly timeline: Pick<TenancyTimelineStore, 'record'>;
  /** Failed payments, arrears and recoveries in the operators' dashboards. */
  readonly stats: Pick<PaymentStats, 'recordPaymentFailed' | 'recordSettled'>;
  /** Days after the invoice fell due on which payment is retried; suspension follows the last. */
  readonly retryAfterDays: readonly number[];
  /** The site, where the tenant updates their card; emails also link Stripe's hosted invoice page. */
  /** The portal's billing page (`/my/billing`): `?pay=<invoice>` opens "pay now", `?invoice=` shows one. */
  readonly billingPageUrl: string;
}

/** The next retry for the workflow's Wait state, or null when the schedule is over. */
export interface NextAttempt {
  readonly attempt: number;
  readonly at: string;
}

const nextAttempt = (arrears: Arrears, attempt: number): NextAttempt | null => {
  const at = arrears.retryAt[attempt - 1];
  return at ? { attempt, at } : null;
};

/** Settled means Stripe no longer expects money: paid, voided or written off. */
const isSettled = (invoice: CollectibleInvoice | undefined) => !invoice || invoice.status !== 'open';
/** Stripe's statuses of an invoice nobody needs to chase any more. */
const SETTLED_STATUSES: readonly string[] = ['paid', 'void', 'uncollectible'];

const tenanciesOf = (deps: Pick<DunningDeps, 'tenancies'>, userId: string): Promise<Tenancy[]> => deps.tenancies.allOfUser(userId);

const stampOf = (arrears: Arrears): TenancyArrears => ({
  state: arrears.state === 'suspended' ? 'suspended' : 'overdue',
  invoiceId: arrears.invoiceId,
  since: arrears.since,
  amountDue: arrears.amountDue,
  currency: arrears.currency,
});

const sameStamp = (a: TenancyArrears | undefined, b: TenancyArrears | undefined) =>
  a === b || (!!a && !!b && (Object.keys(b) as (keyof TenancyArrears)[]).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length);

/** A billing event on each of the tenant's tenancies that is billed now (live and past its setup). */
async function recordOnLiveTenancies(deps: Pick<DunningDeps, 'tenancies' | 'timeline'>, userId: string, at: string, note: TimelineNote): Promise<Tenancy[]> {
  const billed = (await tenanciesOf(deps, userId)).filter((t) => ['active', 'cancelling', 'suspended'].includes(t.status));
  await deps.timeline.record(billed.map((t) => ({ tenancyId: t.tenancyId, at, ...note })));
  return billed;
}

/** Shows the oldest unsettled arrears (or none) on every live tenancy of the tenant. */
async function stampTenancies(deps: DunningStepDeps, userId: string, oldest: Arrears | undefined): Promise<void> {
  const updatedAt = deps.clock.now().toISOString();
  for (const tenancy of await tenanciesOf(deps, userId)) {
    const suspended = tenancy.status === 'suspended';
    if (!suspended && !['pending', 'active', 'cancelling'].includes(tenancy.status)) continue;
    // A suspended tenancy stays marked suspended whichever invoice is now the oldest.
    const stamp = oldest ? { ...stampOf(oldest), ...(suspended ? { state: 'suspended' as const } : {}) } : undefined;
    if (sameStamp(tenancy.arrears, stamp) || (suspended && !stamp)) continue;
    await deps.tenancies.transition(tenancy.tenancyId, [tenancy.status], { arrears: stamp, updatedAt });
  }
}

// --- the workflow's steps -----------------------------------------------------------------------

export type OpenArrearsResult =
  | { readonly state: 'open'; readonly userId: string; readonly next: NextAttempt | null; readonly created: boolean }
  /** Paid while the arrears were being recorded: the workflow settles them (SettleArrears). */
  | { readonly state: 'paid_meanwhile'; readonly userId: string }
  | { readonly state: 'settled' | 'unknown_customer' }
  /** The first charge of a space, left open for the tenant to authenticate: its setup owns it. */
  | { readonly state: 'setup_charge' };

/** First step: records the arrears, with their retry schedule, and shows them on the tenancies. */
export async function openArrears(deps: DunningDeps, input: { invoiceId: string; customerId: string }): Promise<OpenArrearsResult> {
  const invoice = await deps.gateway.getInvoice(input.invoiceId);
  if (!invoice || isSettled(invoice)) return { state: 'settled' };
  // The event names the customer; Stripe's own record of the invoice must agree.
  if (invoice.customerId !== input.customerId) return { state: 'unknown_customer' };
  // Only a setup leaves such an invoice open (allow_incomplete, waiting for authentication): it
  // asks the tenant, and voids the invoice and gives the space back if nobody confirms it.
  if (invoice.billingReason === 'subscription_create' || invoice.billingReason === 'subscription_update') return { state: 'setup_charge' };
  const userId = await deps.payments.userForCustomer(input.customerId);
  if (!userId) return { state: 'unknown_customer' };
  // Counted from when the invoice fell due, or from now when dunning starts late (a replayed
  // event): the tenant always gets the whole grace period after the first email.
  const base = Math.max(Date.parse(invoice.dueSince), deps.clock.now().getTime());
  const { arrears, created } = await deps.arrears.open({
    userId,
    customerId: input.customerId,
    invoiceId: input.invoiceId,
    number: invoice.number,
    amountDue: invoice.amountRemaining,
    currency: invoice.currency,
    hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    since: invoice.dueSince,
    retryAt: deps.retryAfterDays.map((days) => new Date(base + days * DAY_MS).toISOString()),
    state: 'overdue',
    openedAt: deps.clock.now().toISOString(),
    ...((await deps.gateway.paymentNeedsAuthentication(input.invoiceId)) ? { authenticate: true } : {}),
  });
  // At the time first recorded, so a retried step rewrites the same entries.
  const failedAt = arrears.openedAt ?? arrears.since;
  const billed = await recordOnLiveTenancies(deps, userId, failedAt, {
    kind: 'payment_failed',
    source: 'stripe',
    detail: { invoiceId: arrears.invoiceId, amountDue: arrears.amountDue, currency: arrears.currency },
  });
  await deps.stats.recordPaymentFailed(
    arrears.invoiceId,
    failedAt,
    arrears.since,
    billed.map((t) => ({ operatorId: t.operatorId, carparkId: t.carparkId, amount: t.monthlyAmount })),
  );
  // Paid between the first read and the record: invoice.paid found no arrears to settle then.
  if (isSettled(await deps.gateway.getInvoice(input.invoiceId))) return { state: 'paid_meanwhile', userId };
  const unsettled = (await deps.arrears.list(userId)).filter((a) => a.state !== 'settled');
  await stampTenancies(deps, userId, unsettled[0]);
  return { state: 'open', userId, next: nextAttempt(arrears, 1), created };
}

export type RetryOutcome = 'paid' | 'settled' | 'declined';

/** A scheduled retry: charges the invoice unless it was settled meanwhile. */
export async function retryInvoicePayment(
  deps: DunningDeps,
  input: { invoiceId: string; userId: string; attempt: number },
): Promise<{ outcome: RetryOutcome; next: NextAttempt | null }> {
  const arrears = await deps.arrears.get(input.userId, input.invoiceId);
  if (!arrears || arrears.state === 'settled') return { outcome: 'settled', next: null };
  if (isSettled(await deps.gateway.getInvoice(input.invoiceId))) return { outcome: 'settled', next: null };
  // A new key per try of the step: Stripe replays a stored error for a reused key, and an invoice
  // cannot be paid twice anyway (a second try of a paid one is "not open").
  const key = `dunning-${input.invoiceId}-attempt-${input.attempt}-at-${deps.clock.now().getTime()}`;
  const attempt = await deps.gateway.payInvoice(input.invoiceId, {}, key);
  await recordOnLiveTenancies(deps, input.userId, deps.clock.now().toISOString(), {
    kind: 'payment_retried',
    source: 'platform',
    detail: { invoiceId: input.invoiceId, attempt: input.attempt, outcome: attempt === 'paid' ? 'paid' : attempt === 'not_open' ? 'settled' : 'declined' },
  });
  if (attempt === 'paid') return { outcome: 'paid', next: null };
  if (attempt === 'not_open') return { outcome: 'settled', next: null };
  const authenticate = attempt === 'authentication_required';
  if (authenticate !== (arrears.authenticate ?? false)) await deps.arrears.markAuthentication(input.userId, input.invoiceId, authenticate);
  return { outcome: 'declined', next: nextAttempt(arrears, input.attempt + 1) };
}

/** The tenancy as stored now: listings come from an index that may lag a moment behind. */
async function fresh(deps: DunningStepDeps, tenancyId: string): Promise<Tenancy | undefined> {
  return deps.tenancies.get(tenancyId, true);
}

/**
 * The grace period is over and the invoice is still unpaid: every active or cancelling tenancy
 * is suspended (keeping its space) and its plate taken off the barrier.
 */
export async function suspendForArrears(
  deps: DunningDeps,
  input: { invoiceId: string; userId: string },
): Promise<{ outcome: 'suspended' | 'settled'; suspended: string[] }> {
  if (isSettled(await deps.gateway.getInvoice(input.invoiceId))) return { outcome: 'settled', suspended: [] };
  const now = deps.clock.now().toISOString();
  const arrears = await deps.arrears.markSuspended(input.userId, input.invoiceId, now);
  if (!arrears) return { outcome: 'settled', suspended: [] };

  const suspended: string[] = [];
  for (const listed of await tenanciesOf(deps, input.userId)) {
    const tenancy = await fresh(deps, listed.tenancyId);
    if (!tenancy) continue;
    if (tenancy.status === 'active' || tenancy.status === 'cancelling') {
      const note = { kind: 'suspended', source: 'platform', detail: { invoiceId: input.invoiceId } } as const;
      if (!(await deps.tenancies.suspendForArrears(tenancy, stampOf(arrears), now, note))) continue;
    } else if (tenancy.status !== 'suspended' || tenancy.arrears?.invoiceId !== input.invoiceId) {
      continue;
    }
    // Revoked after the status changes (and again on a retry of this step): the barrier never
    // closes on a tenancy the platform still shows as paid up.
    await revokeSuspended(deps, tenancy);
    suspended.push(tenancy.tenancyId);
  }
  return { outcome: 'suspended', suspended };
}

async function revokeSuspended(deps: DunningStepDeps, tenancy: Tenancy): Promise<void> {
  const carpark = await deps.carparks.get(tenancy.carparkId);
  if (!carpark) return;
  const siteId = carpark.smartParkingSiteId;
  // Every plate it claims, one being added or changed to included, and removed plates still in
  // their paid period (under a hold: they are no longer its own).
  for (const plate of claimedPlates(tenancy)) await deps.barrier.revoke({ siteId, plate });
  for (const removed of removedStillOpen(tenancy, deps.clock.now())) await revokeUnclaimed(deps, tenancy, siteId, removed.plate);
  const at = deps.clock.now().toISOString();
  const revoked = { kind: 'plate_revoked', source: 'platform', detail: { plate: tenancy.plate } } as const;
  if (await deps.tenancies.transition(tenancy.tenancyId, ['suspended'], { barrier: { status: 'revoked', changedAt: at }, updatedAt: at }, revoked)) return;
  // Reinstated while we were revoking (its registration may have landed before our revoke):
  // register again, but only a tenancy still live.
  const now = await fresh(deps, tenancy.tenancyId);
  if (now && (now.status === 'active' || now.status === 'cancelling')) await registerLive(deps, now, siteId);
}

/** Registers the plate of a live tenancy; if it ended meanwhile, takes the plate off again. */
async function registerLive(deps: DunningStepDeps, tenancy: Tenancy, siteId: string): Promise<void> {
  await registerPlates(deps.barrier, siteId, tenancy);
  const at = deps.clock.now().toISOString();
  const recorded = await deps.tenancies.transition(
    tenancy.tenancyId,
    ['active', 'cancelling'],
    { barrier: { status: 'registered', changedAt: at }, updatedAt: at },
    { kind: 'plate_registered', source: 'platform', detail: { plate: tenancy.plate } },
  );
  if (recorded) return;
  // Suspended again, or ended (its plates given up): taken off as the tenancy stands now.
  const now = (await fresh(deps, tenancy.tenancyId)) ?? tenancy;
  for (const plate of platesOf(tenancy)) await revokePlateOf(deps, now, siteId, plate);
}


// --- settlement ---------------------------------------------------------------------------------

export interface Settlement {
  readonly settled: boolean;
  readonly reinstated: string[];
}

/**
 * The invoice no longer needs chasing (paid, voided or written off). Once the tenant has no other
 * unpaid invoice, suspended tenancies go back to what they were and their plates are registered
 * again, and the tenant is told once. Safe to repeat: the arrears record stays (as `settled`)
 * until the follow-up is complete, so a retry after a failure finishes the job.
 */
export async function settleArrears(deps: DunningStepDeps, input: { invoiceId: string; userId: string }): Promise<Settlement> {
  const before = await deps.arrears.markSettled(input.userId, input.invoiceId);
  if (!before) return { settled: false, reinstated: [] };
  const unsettled = (await deps.arrears.list(input.userId)).filter((a) => a.state !== 'settled');
  const reinstated = unsettled.length === 0 ? await reinstate(deps, input.userId) : [];
  await stampTenancies(deps, input.userId, unsettled[0]);
  if (unsettled.length === 0 && (reinstated.length > 0 || before.suspendedAt)) {
    // Claimed before sending, given back if sending fails: one email however many settle at once.
    if (await deps.arrears.claimNotice(input.userId, input.invoiceId)) {
      try {
        await sendNotice(deps, input.userId, before, 'reinstated');
      } catch (error) {
        await deps.arrears.releaseNotice(input.userId, input.invoiceId);
        throw error;
      }
    }
  }
  await deps.arrears.remove(input.userId, input.invoiceId);
  return { settled: true, reinstated };
}

/**
 * Suspended tenancies back to what they were, plates registered first: a failure part-way
 * leaves the tenancy suspended, so a retry finds it and finishes. A tenancy cancelled while
 * suspended (cancelling, still marked `suspendedFrom`) gets its plate back until its end date.
 */
async function reinstate(deps: DunningStepDeps, userId: string): Promise<string[]> {
  const reinstated: string[] = [];
  for (const listed of await tenanciesOf(deps, userId)) {
    const tenancy = await fresh(deps, listed.tenancyId);
    if (!tenancy || !(tenancy.status === 'suspended' || (tenancy.status === 'cancelling' && tenancy.suspendedFrom))) continue;
    const carpark = await deps.carparks.get(tenancy.carparkId);
    if (carpark) await registerPlates(deps.barrier, carpark.smartParkingSiteId, tenancy);
    const at = deps.clock.now().toISOString();
    const back = await deps.tenancies.transition(tenancy.tenancyId, [tenancy.status], {
      status: tenancy.status === 'suspended' ? (tenancy.suspendedFrom ?? 'active') : tenancy.status,
      suspendedFrom: undefined,
      arrears: undefined,
      ...(carpark ? { barrier: { status: 'registered' as const, changedAt: at } } : {}),
      updatedAt: at,
    }, { kind: 'reinstated', source: 'platform', detail: { plate: tenancy.plate } });
    if (back) {
      reinstated.push(tenancy.tenancyId);
      continue;
    }
    // Ended meanwhile (its cancellation date came): the plate we just registered goes again.
    const now = await fresh(deps, tenancy.tenancyId);
    if (carpark && now && !['active', 'cancelling', 'suspended'].includes(now.status)) {
      // Its claims are given up: another tenancy may hold one of the plates now.
      for (const plate of platesOf(tenancy)) await revokePlateOf(deps, now, carpark.smartParkingSiteId, plate);
    }
  }
  return reinstated;
}

/** `invoice.paid` / `invoice.voided` / `invoice.marked_uncollectible`: stop chasing, settle. */
export async function recordInvoiceSettled(
  deps: DunningDeps & { readonly workflow: Pick<DunningWorkflow, 'stop'> },
  input: { invoiceId: string; customerId: string },
): Promise<Settlement | { settled: false; reason: 'unknown_customer' | 'not_settled_at_stripe' }> {
  const userId = await deps.payments.userForCustomer(input.customerId);
  if (!userId) return { settled: false, reason: 'unknown_customer' };
  // A signed event says which invoice; Stripe says whether it is settled, and whose it is. An
  // event whose body disagrees with Stripe changes no arrears and gives no access back.
  const invoice = await deps.gateway.getInvoice(input.invoiceId);
  if (!invoice || invoice.customerId !== input.customerId) return { settled: false, reason: 'unknown_customer' };
  if (!SETTLED_STATUSES.includes(invoice.status ?? '')) return { settled: false, reason: 'not_settled_at_stripe' };
  // Before the arrears check: the dunning workflow may have settled them already.
  await deps.stats.recordSettled(input.invoiceId, invoice.status === 'paid');
  // Nothing recorded: a first invoice, or one paid before it ever failed. Cheap and common.
  const arrears = await deps.arrears.get(userId, input.invoiceId);
  if (!arrears) return { settled: false, reinstated: [] };
  // Stop first, so no retry or suspension starts after the settlement below.
  await deps.workflow.stop(input.invoiceId, 'Invoice settled');
  return settleArrears(deps, { invoiceId: input.invoiceId, userId });
}

// --- emails ---------------------------------------------------------------------------------------

export type DunningNotice = 'paymentFailed' | 'retryFailed' | 'suspended' | 'reinstated';

/** Emails the tenant about the unpaid invoice. Never fails the workflow for a missing user. */
export async function notifyArrears(
  deps: DunningStepDeps,
  input: { invoiceId: string; userId: string; template: DunningNotice; next?: NextAttempt | null },
): Promise<{ sent: boolean }> {
  const arrears = await deps.arrears.get(input.userId, input.invoiceId);
  if (!arrears || (arrears.state === 'settled' && input.template !== 'reinstated')) return { sent: false };
  return { sent: await sendNotice(deps, input.userId, arrears, input.template, input.next ?? null) };
}

async function sendNotice(
  deps: DunningStepDeps,
  userId: string,
  arrears: Arrears,
  template: DunningNotice,
  next: NextAttempt | null = null,
): Promise<boolean> {
  const user = await deps.users.get(userId);
  if (!user) return false;
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: arrears.currency.toUpperCase() }).format(arrears.amountDue / 100);
  const invoice = arrears.number ? `invoice ${arrears.number}` : 'your latest invoice';
  const timeZone = await timeZoneOfTenant(deps, userId);
  const day = (iso: string) => formatDay(iso, timeZone);
  const lastRetry = arrears.retryAt.at(-1);
  // The billing page with "pay now" open for this invoice; Stripe's invoice page takes any card.
  const payLink = `${deps.billingPageUrl}?pay=${encodeURIComponent(arrears.invoiceId)}`;
  // A payment the bank wants authenticated is fixed by confirming it in the portal (Stripe.js
  // opens the bank's check there), not by retrying or necessarily by a new card.
  const authenticateLink = `${deps.billingPageUrl}/authenticate/${encodeURIComponent(arrears.invoiceId)}`;
  const update = arrears.authenticate
    ? `Your bank asks you to confirm this payment (3-D Secure) before it can go through. Confirm it here: ${authenticateLink} (or use another card on your billing page, ${deps.billingPageUrl}, and we will take the payment straight away).`
    : `Pay it now: ${payLink} (or update the card on your account there and we will take the payment straight away${arrears.hostedInvoiceUrl ? `; or pay with any card at ${arrears.hostedInvoiceUrl}` : ''}).`;
  const messages: Record<DunningNotice, { subject: string; lines: string[] }> = {
    paymentFailed: {
      subject: arrears.authenticate ? `Please confirm your payment of ${money}` : `Your payment of ${money} did not go through`,
      lines: [
        arrears.authenticate ? `We could not take ${money} for ${invoice} without your confirmation.` : `We could not take ${money} for ${invoice}.`,
        update,
        ...(next ? [`Otherwise we will try again on ${day(next.at)}.`] : []),
        ...(lastRetry ? [`Your parking continues as normal until ${day(lastRetry)}.`] : []),
      ],
    },
    retryFailed: {
      subject: `We still could not take ${money}`,
      lines: [
        arrears.authenticate
          ? `Another attempt to take ${money} for ${invoice} still needs your confirmation.`
          : `Another attempt to take ${money} for ${invoice} was declined.`,
        update,
        next
          ? `We will try again on ${day(next.at)}. If it is still unpaid after ${day(lastRetry ?? next.at)}, the barrier will stop opening for your vehicles.`
          : 'If it stays unpaid, the barrier will stop opening for your vehicles.',
      ],
    },
    suspended: {
      subject: 'Your parking is suspended',
      lines: [
        `${invoice[0]!.toUpperCase()}${invoice.slice(1)} (${money}) is still unpaid, so your tenancies are suspended and the barrier no longer opens for your vehicles. Your spaces are kept for you.`,
        update.replace('take the payment straight away', 'take the payment and restore your access straight away'),
      ],
    },
    reinstated: {
      subject: 'Your parking is restored',
      lines: [
        `Thank you: ${invoice} is settled. Your tenancies are active again and the barrier opens for your vehicles.`,
        `Your invoices: ${deps.billingPageUrl}?invoice=${encodeURIComponent(arrears.invoiceId)}`,
      ],
    },
  };
  const { subject, lines } = messages[template];
  const text = [`Hello ${user.name},`, '', ...lines, '', 'Carpark Tenancy'].join('\n');
  await deps.mailer.send({
    to: user.email,
    subject,
    text,
    html: text
      .split('\n')
      .map((line) => (line ? `<p>${escapeHtml(line)}</p>` : ''))
      .join(''),
  });
  return true;
}

// --- card updates -----------------------------------------------------------------------------

export interface ReattemptDeps {
  readonly gateway: Pick<PaymentGateway, 'openInvoices' | 'payInvoice'>;
  /** Whose customer it is: the Stripe account may have customers that are not the platform's. */
  readonly payments: Pick<PaymentStore, 'userForCustomer'>;
}

/**
 * The tenant has a new card: re-attempt their open invoices at once. The idempotency key is the
 * invoice and the card, so the several events one card update causes (attached, setup intent
 * succeeded, default changed) charge each invoice once; a paid invoice is never charged again.
 */
export async function reattemptOpenInvoices(
  deps: ReattemptDeps,
  input: { customerId: string; paymentMethodId: string },
): Promise<{ invoiceId: string; result: string }[] | 'not_ours'> {
  if (!(await deps.payments.userForCustomer(input.customerId))) return 'not_ours';
  const results: { invoiceId: string; result: string }[] = [];
  for (const invoice of await deps.gateway.openInvoices(input.customerId)) {
    const result = await deps.gateway.payInvoice(
      invoice.invoiceId,
      { paymentMethodId: input.paymentMethodId },
      `reattempt-${invoice.invoiceId}-${input.paymentMethodId}`,
    );
    results.push({ invoiceId: invoice.invoiceId, result });
  }
  return results;
}
