/**
 * The steps of the tenancy workflows (state-machines/*.asl.json), one use case per Task state.
 * Each step is idempotent: Step Functions retries it after a timeout or a crash, so a step that
 * already did its work must do nothing the second time (status conditions in DynamoDB,
 * idempotency keys at Stripe, PUT/DELETE semantics at SmartParking).
 */
import type { BarrierAccess } from './barrier';
import { BARRIER_ERROR_NAMES } from './barrier';
import { AUTHENTICATION_REQUIRED, ensureCustomer, PAYMENT_ERROR_NAMES, syncSubscription, type BillingDeps, type SyncMode } from './billing';
import type { Clock } from './clock';
import { escapeHtml } from './accounts';
import { honouredQuote } from './quotes';
import type { CarparkRepository, Mailer } from './ports';
import { claimedPlates, isLive, platesOf, platesOnRecord, type BarrierStatus, type Tenancy, type TenancyRepository } from './tenancies';
import { registerPlates, revokePlateOf } from './barrier-plates';
import type { User } from './users';
import type { SpaceReleases } from './waitlist';
import { DEFAULT_TIME_ZONE, formatDayAndTime, formatList, type PortalLinks } from './email-format';

/** What the steps that never call Stripe need (their task bundles carry no Stripe SDK). */
export interface StepDeps {
  readonly tenancies: TenancyRepository;
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly barrier: BarrierAccess;
  readonly mailer: Mailer;
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly clock: Clock;
  /** The portal's pages, for links in emails. */
  readonly links: PortalLinks;
  /** A space given back goes to the car park's waitlist first. */
  readonly spaces: SpaceReleases;
}

/** The billing steps (customer, subscription, scheduled end) also need Stripe. */
export interface WorkflowDeps extends BillingDeps, StepDeps {
  readonly users: { get(userId: string): Promise<User | undefined> };
  readonly clock: Clock;
}

/** What a Catch hands to the next state: Step Functions' error name and cause. */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

async function load(deps: StepDeps, tenancyId: string): Promise<Tenancy> {
  const tenancy = await deps.tenancies.get(tenancyId, true);
  if (!tenancy) throw new Error(`Tenancy ${tenancyId} not found`);
  return tenancy;
}

async function siteOf(deps: StepDeps, tenancy: Tenancy): Promise<string> {
  if (tenancy.siteId) return tenancy.siteId;
  const carpark = await deps.carparks.get(tenancy.carparkId);
  if (!carpark) throw new Error(`Car park ${tenancy.carparkId} not found`);
  return carpark.smartParkingSiteId;
}

const now = (deps: StepDeps) => deps.clock.now().toISOString();

async function recordBarrier(deps: StepDeps, tenancyId: string, status: BarrierStatus, plate: string) {
  const at = now(deps);
  await deps.tenancies.transition(
    tenancyId,
    ['pending', 'active', 'cancelling', 'suspended', 'ended', 'failed'],
    { barrier: { status, changedAt: at }, updatedAt: at },
    { kind: status === 'registered' ? 'plate_registered' : 'plate_revoked', source: 'platform', detail: { plate } },
  );
}

// --- setup -----------------------------------------------------------------------------------

/**
 * A scheduled tenancy's start date has come: it is counted for billing and set up from here as
 * any other. `begun` is false when it was cancelled before its start (the workflow stops).
 */
export async function beginTenancy(deps: StepDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const begun = tenancy.status === 'scheduled' ? await deps.tenancies.begin(tenancy, now(deps), { kind: 'started', source: 'platform' }) : undefined;
  // Not scheduled any more: begun by an earlier attempt of this step (pending or on), or cancelled.
  const status = begun?.status ?? (await load(deps, input.tenancyId)).status;
  return { begun: status === 'pending', status };
}

export async function ensureTenantCustomer(deps: WorkflowDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const { customerId } = await ensureCustomer(deps, tenancy.userId);
  return { customerId };
}

/** Brings Stripe to the tenant's counted quantities (see billing.ts). */
export async function syncTenantBilling(
  deps: WorkflowDeps,
  input: { tenancyId: string; idempotencyKey: string; mode?: SyncMode; credit?: boolean; authenticate?: boolean },
) {
  const tenancy = await load(deps, input.tenancyId);
  const result = await syncSubscription(deps, tenancy.userId, input.idempotencyKey, {
    credit: input.credit ?? false,
    mode: input.mode ?? 'converge',
    authenticate: input.authenticate ?? false,
    ...(honouredQuote(tenancy.quotedAt, deps.clock.now()) ? { prorationDate: tenancy.quotedAt } : {}),
  });
  return {
    subscriptionId: result.subscription?.subscriptionId ?? null,
    currentPeriodEnd: result.subscription?.currentPeriodEnd ?? null,
    awaitingAuthentication: result.awaitingAuthentication ?? null,
  };
}

/**
 * How long a new tenancy holds its space while the tenant authenticates its first charge: under
 * the 23 hours after which Stripe expires an incomplete subscription.
 */
export const AUTHENTICATION_WINDOW_MS = 22 * 60 * 60 * 1000;

/**
 * The bank wants the first charge authenticated. The first time, records on the tenancy which
 * invoice and until when (`asked`: the workflow emails the tenant and ends; `invoice.paid`
 * resumes the setup, which then finds nothing to wait for). Paid meanwhile: `paid`, go on.
 * Resumed by the sweeper past the deadline (`expiredAt`): the invoice is voided and the setup is
 * undone (`expired`).
 */
export async function awaitAuthentication(
  deps: WorkflowDeps,
  input: { tenancyId: string; invoiceId: string; expiredAt?: string | null },
): Promise<{ state: 'asked' | 'paid' | 'expired' | 'gone' }> {
  const tenancy = await load(deps, input.tenancyId);
  if (tenancy.status !== 'pending') return { state: 'gone' };
  const invoice = await deps.payments.getInvoice(input.invoiceId);
  if (invoice?.status === 'paid') return { state: 'paid' };
  const asked = tenancy.awaitingAuthentication?.invoiceId === input.invoiceId ? tenancy.awaitingAuthentication : undefined;
  if (asked && input.expiredAt && input.expiredAt >= asked.until) {
    await deps.payments.voidInvoice(input.invoiceId, `void-unconfirmed-${input.invoiceId}`);
    return { state: 'expired' };
  }
  if (!asked) {
    const at = deps.clock.now();
    const until = new Date(at.getTime() + AUTHENTICATION_WINDOW_MS).toISOString();
    await deps.tenancies.transition(
      tenancy.tenancyId,
      ['pending'],
      { awaitingAuthentication: { invoiceId: input.invoiceId, until }, updatedAt: at.toISOString() },
      { kind: 'authentication_requested', source: 'stripe', detail: { invoiceId: input.invoiceId } },
    );
  }
  return { state: 'asked' };
}

/**
 * Whitelists the tenancy's plates at its barrier, or one plate (a plate being added or changed
 * to). A plate change of a tenancy suspended (or ended) meanwhile must not open the barrier: the
 * workflow's catch aborts the change.
 */
export async function registerPlate(deps: StepDeps, input: { tenancyId: string; plate?: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const plates = input.plate ? [input.plate] : platesOf(tenancy);
  const changing = input.plate !== undefined && !platesOf(tenancy).includes(input.plate);
  if (changing && tenancy.status !== 'active' && tenancy.status !== 'cancelling') {
    throw new Error(`Tenancy ${tenancy.tenancyId} is ${tenancy.status}: the new plate is not registered`);
  }
  const registration = await registerPlates(deps.barrier, await siteOf(deps, tenancy), tenancy, plates);
  if (!changing) await recordBarrier(deps, tenancy.tenancyId, 'registered', tenancy.plate);
  // The plate a change replaces, read before the change commits (a commit retried after it went
  // through no longer knows it): the workflow revokes it after the commit.
  const replaces = changing && tenancy.pendingPlate === input.plate && !tenancy.addingPlate ? tenancy.plate : undefined;
  return { plate: plates[0]!, registeredAt: registration!.registeredAt, ...(replaces ? { replaces } : {}) };
}

/**
 * Takes plates off the barrier: the tenancy's own (all of them, with any being added and any
 * removed ones), or one plate it gave up (the old plate of a change, a removed plate whose paid
 * period is over). A plate whose claim this live tenancy holds is revoked outright, except one
 * named plate it holds again (added back since): that one stays. Any other plate is revoked only
 * while held for it, so a tenancy that claimed it meanwhile, and registered it, is never shut out.
 */
export async function revokePlate(deps: StepDeps, input: { tenancyId: string; plate?: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const plates = input.plate ? [input.plate] : platesOnRecord(tenancy);
  const siteId = await siteOf(deps, tenancy);
  const revoked: string[] = [];
  for (const plate of plates) {
    // A named plate the live tenancy holds again (added back since it was removed) stays.
    const heldAgain = input.plate !== undefined && isLive(tenancy.status) && claimedPlates(tenancy).includes(plate);
    const done = !heldAgain && (await revokePlateOf(deps, tenancy, siteId, plate));
    if (done) revoked.push(plate);
    if (tenancy.retiredPlates?.some((r) => r.plate === plate)) {
      await deps.tenancies.forgetRetiredPlate(tenancy.tenancyId, plate, now(deps), done ? { kind: 'plate_revoked', source: 'platform', detail: { plate } } : undefined);
    }
  }
  if (!input.plate) await recordBarrier(deps, tenancy.tenancyId, 'revoked', tenancy.plate);
  return { plate: input.plate ?? tenancy.plate, revoked: revoked.length > 0, plates: revoked };
}

/**
 * `activated` is true only for the call that moved the tenancy to active, not for a retry after it.
 * `renewsAt` is the end of the period the subscription sync just paid for (Stripe's current
 * period end): the tenancy is next billed then.
 */
export async function activateTenancy(deps: StepDeps, input: { tenancyId: string; renewsAt?: string | null }) {
  const activated = await deps.tenancies.transition(
    input.tenancyId,
    ['pending'],
    { status: 'active', awaitingAuthentication: undefined, ...(input.renewsAt ? { renewsAt: input.renewsAt } : {}), updatedAt: now(deps) },
    { kind: 'activated', source: 'platform' },
  );
  const tenancy = activated ?? (await load(deps, input.tenancyId));
  return { status: tenancy.status, activated: activated !== undefined };
}

/** The error the setup workflow records when the first charge was never authenticated. */
export const AUTHENTICATION_NOT_CONFIRMED = 'AuthenticationNotConfirmed';

/** Words a tenant can act on, by the error that stopped the setup. */
export function failureReason(error: CaughtError | undefined): string {
  switch (error?.Error) {
    case PAYMENT_ERROR_NAMES.declined:
      if (error.Cause?.includes(AUTHENTICATION_REQUIRED)) {
        return 'Your bank asked you to authenticate this card payment, so the tenancy was not started. Add the card again on your billing page (your bank checks it once, for future payments) and book again.';
      }
      return 'Your card was declined, so the tenancy was not started. Update your card and book again.';
    case AUTHENTICATION_NOT_CONFIRMED:
      return 'The first payment was not confirmed with your bank in time, so the tenancy was not started and nothing was charged. Book again when you are ready to confirm it.';
    case BARRIER_ERROR_NAMES.rejected:
    case BARRIER_ERROR_NAMES.siteNotFound:
      return "The car park's barrier system would not accept this plate. Check the plate, or contact the car park.";
    default:
      return 'We could not finish setting up your tenancy. Nothing has been charged for it; please try again later.';
  }
}

/**
 * Marks a setup failed and gives back its space, plate claim and billed quantity in one
 * transaction. The Stripe change and the plate are undone by the steps that follow.
 */
export async function failSetup(deps: StepDeps, input: { tenancyId: string; error?: CaughtError }) {
  const tenancy = await load(deps, input.tenancyId);
  const withdrawn = input.error?.Error === AUTHENTICATION_NOT_CONFIRMED && tenancy.awaitingAuthentication?.withdrawn;
  const reason = withdrawn
    ? 'You cancelled it before confirming the first payment with your bank, so the tenancy was not started and nothing was charged.'
    : failureReason(input.error);
  const released = await deps.tenancies.release(tenancy, ['pending'], 'failed', { failureReason: reason, updatedAt: now(deps) }, undefined, {
    kind: 'setup_failed',
    source: 'platform',
    detail: { reason },
  });
  // Also on a retry after the release: telling twice offers nothing twice.
  if (released || (await load(deps, input.tenancyId)).status === 'failed') await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
  return { released, reason };
}

// --- cancellation ------------------------------------------------------------------------------

/**
 * When a cancelled tenancy's access ends: the end of the period already paid for (the
 * subscription's current period), or now when nothing is paid ahead.
 */
export async function scheduleEnd(deps: WorkflowDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  if (tenancy.endsAt) return { endsAt: tenancy.endsAt };
  const account = await deps.billing.get(tenancy.userId);
  const subscription = account?.subscriptionId ? await deps.payments.getSubscription(account.subscriptionId) : undefined;
  const paidUntil = subscription?.currentPeriodEnd;
  const at = now(deps);
  const endsAt = paidUntil && paidUntil > at ? paidUntil : at;
  // A suspended tenancy cancelled while in arrears ends on the same date, its plate kept off.
  await deps.tenancies.transition(tenancy.tenancyId, ['cancelling', 'suspended'], { endsAt, updatedAt: at });
  return { endsAt };
}

/**
 * Ends the tenancy, unless its cancellation was undone: the release is conditioned on the
 * cancellation this execution carries still being pending, so an undo and this step racing each
 * other have exactly one winner. `status` tells the workflow whether to go on (`ended`, also on a
 * retry after the release) or stop (the tenancy is live again).
 */
export async function endTenancy(deps: StepDeps, input: { tenancyId: string; cancellationId?: string }) {
  const tenancy = await load(deps, input.tenancyId);
  if (tenancy.status === 'ended') {
    // A retry after the release: the line may not have heard yet (telling twice offers nothing twice).
    await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
    return { released: false, status: 'ended' };
  }
  // A cancelled tenancy suspended for arrears still ends on its date; its plate is off already.
  // Executions started before cancellations carried an id end the tenancy as before.
  const released = await deps.tenancies.release(
    tenancy,
    ['cancelling', 'suspended'],
    'ended',
    { suspendedFrom: undefined, arrears: undefined, updatedAt: now(deps) },
    input.cancellationId ? { cancellationId: input.cancellationId } : undefined,
    { kind: 'ended', source: 'platform' },
  );
  if (released) {
    await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
    return { released, status: 'ended' };
  }
  const after = await load(deps, input.tenancyId);
  return { released, status: after.status === 'ended' ? 'ended' : 'undone' };
}

// --- plate change ------------------------------------------------------------------------------

/**
 * Keeps the plate the change registered. `oldPlate` is for the workflow to revoke: the plate a
 * change replaced (as the registration read it, so a retried commit still knows it), or a removed
 * plate whose time an added plate cut short (see addPlate). The revocation leaves alone a plate
 * the tenancy still holds, so naming one that stayed (a commit that did not happen) is harmless.
 */
export async function commitPlateChange(deps: StepDeps, input: { tenancyId: string; registered?: { replaces?: string } }) {
  const tenancy = await load(deps, input.tenancyId);
  const at = deps.clock.now();
  const displaced = (tenancy.retiredPlates ?? []).find((r) => Date.parse(r.until) <= at.getTime())?.plate;
  // Executions started before registrations named the plate replaced carry no `registered`.
  const replaces = input.registered ? input.registered.replaces : tenancy.pendingPlate && !tenancy.addingPlate ? tenancy.plate : undefined;
  const oldPlate = replaces ?? displaced;
  const result = (plate: string) => ({ plate, ...(oldPlate ? { oldPlate } : {}) });
  if (!tenancy.pendingPlate) return result(tenancy.plate);
  if (tenancy.addingPlate) {
    const added = tenancy.pendingPlate;
    await deps.tenancies.commitPlateChange(tenancy, at.toISOString(), { kind: 'plate_added', source: 'platform', detail: { plate: added } });
    return result(added);
  }
  const committed = await deps.tenancies.commitPlateChange(tenancy, at.toISOString(), {
    kind: 'plate_changed',
    source: 'platform',
    detail: { from: tenancy.plate, to: tenancy.pendingPlate },
  });
  if (committed && committed.plate !== tenancy.plate) await recordBarrier(deps, tenancy.tenancyId, 'registered', committed.plate);
  return result(committed?.plate ?? tenancy.plate);
}

export async function abortPlateChange(deps: StepDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  await deps.tenancies.abortPlateChange(tenancy, now(deps), { kind: 'plate_change_abandoned', source: 'platform', detail: { plate: tenancy.pendingPlate ?? '' } });
  return { plate: tenancy.plate };
}

// --- vehicle type change ----------------------------------------------------------------------

export async function commitVehicleChange(deps: StepDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const before = tenancy.previousVehicle;
  if (before && (await deps.tenancies.commitVehicleChange(tenancy, now(deps)))) await deps.spaces.freed(tenancy.carparkId, before.vehicleType);
  return { committed: true };
}

/** The new price could not be charged: the old type, space and price come back. */
export async function revertVehicleChange(deps: StepDeps, input: { tenancyId: string }) {
  const tenancy = await load(deps, input.tenancyId);
  const back = tenancy.previousVehicle?.vehicleType ?? tenancy.vehicleType;
  const reverted = await deps.tenancies.revertVehicleChange(tenancy, now(deps), {
    kind: 'vehicle_change_reverted',
    source: 'platform',
    detail: { from: tenancy.vehicleType, to: back },
  });
  // The new type's space went back: the line for that type is offered it.
  if (reverted) await deps.spaces.freed(tenancy.carparkId, tenancy.vehicleType);
  return { reverted };
}

// --- emails ------------------------------------------------------------------------------------

export type TenancyEmail =
  | 'activated'
  | 'setupFailed'
  | 'ended'
  | 'plateChanged'
  | 'cancelling'
  | 'vehicleChanged'
  | 'vehicleChangeRefused'
  | 'authenticationRequired';

/** Emails the tenant about their tenancy. Never fails the workflow for a missing address. */
export async function notifyTenant(deps: StepDeps, input: { tenancyId: string; template: TenancyEmail }) {
  const tenancy = await load(deps, input.tenancyId);
  // A cancellation undone before its notice went out is not announced.
  if (input.template === 'cancelling' && !tenancy.cancellationId && tenancy.status !== 'cancelling') return { sent: false };
  // Confirmed (or given up) before the email went out: nothing to ask.
  if (input.template === 'authenticationRequired' && (!tenancy.awaitingAuthentication || tenancy.status !== 'pending')) return { sent: false };
  // A plate change that did not commit (the tenancy ended or was suspended meanwhile) opens nothing.
  if (input.template === 'plateChanged' && (tenancy.pendingPlate || (tenancy.status !== 'active' && tenancy.status !== 'cancelling'))) return { sent: false };
  const [user, carpark] = await Promise.all([deps.users.get(tenancy.userId), deps.carparks.get(tenancy.carparkId)]);
  if (!user) return { sent: false };
  const place = carpark?.name ?? 'the car park';
  const timeZone = carpark?.timeZone ?? DEFAULT_TIME_ZONE;
  const link = deps.links.tenancy(tenancy.tenancyId);
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: tenancy.currency.toUpperCase() }).format(
    tenancy.monthlyAmount / 100,
  );
  const lines: Record<TenancyEmail, { subject: string; body: string }> = {
    activated: {
      subject: `Your space at ${place} is ready`,
      body: `Your ${tenancy.vehicleType} tenancy at ${place} is active for ${tenancy.plate} (${money} a month). The barrier will open for this plate.`,
    },
    setupFailed: {
      // Failed because the tenant withdrew it while the bank waited for confirmation.
      subject: tenancy.awaitingAuthentication?.withdrawn ? `Your rental at ${place} is cancelled` : `We could not start your tenancy at ${place}`,
      body: tenancy.failureReason ?? failureReason(undefined),
    },
    cancelling: {
      subject: `Your tenancy at ${place} is cancelled`,
      body:
        tenancy.status === 'suspended'
          ? `Your tenancy for ${tenancy.plate} is cancelled and ends on ${tenancy.endsAt ? formatDayAndTime(tenancy.endsAt, timeZone) : 'the end of the paid period'}. It is suspended for an unpaid invoice, so the barrier stays closed to it unless the invoice is paid first.`
          : `Your tenancy for ${tenancy.plate} is cancelled. The barrier keeps opening until ${tenancy.endsAt ? formatDayAndTime(tenancy.endsAt, timeZone) : 'the end of the paid period'}. Changed your mind? You can undo the cancellation until then.`,
    },
    ended: {
      subject: `Your tenancy at ${place} has ended`,
      body: `Your tenancy for ${tenancy.plate} has ended and the barrier no longer opens for it. Thank you for parking with us.`,
    },
    plateChanged: {
      subject: `Your plate at ${place} is updated`,
      body: `The barrier at ${place} now opens for ${formatList(platesOf(tenancy))}.`,
    },
    vehicleChanged: {
      subject: `Your tenancy at ${place} is now for a ${tenancy.vehicleType}`,
      body: `Your tenancy for ${tenancy.plate} is now for a ${tenancy.vehicleType} space at ${money} a month.`,
    },
    authenticationRequired: {
      subject: `Please confirm your payment for ${place}`,
      body: tenancy.awaitingAuthentication
        ? `Your bank asks you to confirm the first payment (${money}) for your ${tenancy.vehicleType} space at ${place} for ${tenancy.plate}. Confirm it here: ${deps.links.authenticatePayment(tenancy.awaitingAuthentication.invoiceId)} — your space is held until ${formatDayAndTime(tenancy.awaitingAuthentication.until, timeZone)}. The barrier opens for your plate once the payment is confirmed.`
        : `Your payment for ${place} needs no confirmation any more.`,
    },
    vehicleChangeRefused: {
      subject: `We could not change your tenancy at ${place}`,
      body: `The card on file was declined for the new price, so your tenancy stays a ${tenancy.vehicleType} space. Update your card and try again.`,
    },
  };
  const { subject, body } = lines[input.template];
  await deps.mailer.send({
    to: user.email,
    subject,
    text: `Hello ${user.name},\n\n${body}\n\nYour tenancy: ${link}\n\nCarpark Tenancy`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link)}">See your tenancy</a></p><p>Carpark Tenancy</p>`,
  });
  return { sent: true };
}
