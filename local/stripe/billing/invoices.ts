import type { App, Op } from '../app';
import type { StripeApiError } from '../http/errors';
import { authenticationRequired, cardDeclined, invalidRequest } from '../http/errors';
import { invoiceTemplate } from '../objects/templates';
import type { Rec } from '../store';
import type { JsonObject } from '../types';
import { chargeOutcome } from './cards';
import { invoicePaymentIntent, requireAction, succeeded } from './payment-intents';
import { DAY, lineFromInvoiceItem, toLine, type BillingReason, type LineInput } from './lines';

/**
 * Invoices: creation from lines, finalization (numbering, customer balance), payment attempts
 * with Stripe's PaymentMethod precedence and retry schedule, and the subscription status changes
 * a payment causes (incomplete/past_due → active, active → past_due).
 */

export interface NewInvoice {
  id?: string;
  customer: Rec;
  subscription: Rec | null;
  reason: BillingReason;
  at: number;
  periodStart: number;
  periodEnd: number;
  lines: LineInput[];
  /** Pending invoice items (prorations) this invoice absorbs. */
  absorb?: Rec[];
  currency: string;
  /** Fields set at creation (`POST /v1/invoices`: collection method, description, metadata, ...). */
  fields?: JsonObject;
}

/** Creates a draft invoice and emits `invoice.created`. */
export function createInvoice(op: Op, n: NewInvoice): Rec {
  const { app } = op;
  const id = n.id ?? app.store.newId('invoice');
  const absorbed = n.absorb ?? [];
  const inputs = [...n.lines, ...absorbed.map((ii) => lineFromInvoiceItem(app, ii))];
  for (const ii of absorbed) ii.invoice = id;
  const lines = inputs.map((l) => toLine(app, l, id));
  const total = inputs.reduce((sum, l) => sum + l.amount, 0);
  const sub = n.subscription;
  const rec: Rec = invoiceTemplate({
    id,
    created: n.at,
    currency: n.currency,
    customer: String(n.customer.id),
    customer_address: n.customer.address ?? null,
    customer_email: n.customer.email ?? null,
    customer_name: n.customer.name ?? null,
    customer_phone: n.customer.phone ?? null,
    billing_reason: n.reason,
    parent: sub
      ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: structuredClone(sub.metadata ?? {}), subscription: String(sub.id) } }
      : null,
    // Kept for the engine only: this API version has it under parent.subscription_details.
    __subscription: sub ? String(sub.id) : null,
    period_start: n.periodStart,
    period_end: n.periodEnd,
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    amount_due: Math.max(total, 0),
    amount_remaining: Math.max(total, 0),
    test_clock: n.customer.test_clock ?? null,
    ...n.fields,
  });
  rec.__lines = lines;
  app.store.insert('invoice', rec);
  app.emit(op, 'invoice.created', app.render('invoice', rec));
  return rec;
}

/** Recomputes a draft's totals from its lines. */
function retotal(inv: Rec): void {
  const total = ((inv.__lines ?? []) as JsonObject[]).reduce((sum, l) => sum + Number(l.amount), 0);
  inv.subtotal = total;
  inv.subtotal_excluding_tax = total;
  inv.total = total;
  inv.total_excluding_tax = total;
  inv.amount_due = Math.max(total, 0);
  inv.amount_remaining = Math.max(total, 0);
}

/** Adds an invoice item to a draft invoice as a line (`invoiceitems.create` with `invoice`). */
export function addItemToDraft(app: App, inv: Rec, ii: Rec): void {
  ii.invoice = String(inv.id);
  inv.__lines = [...((inv.__lines ?? []) as JsonObject[]), toLine(app, lineFromInvoiceItem(app, ii), String(inv.id))];
  retotal(inv);
}

/** Takes a deleted invoice item's line off its draft invoice. */
export function removeItemFromDraft(inv: Rec, invoiceItemId: string): void {
  inv.__lines = ((inv.__lines ?? []) as JsonObject[]).filter((l) => {
    const parent = l.parent as JsonObject | null;
    const details = (parent?.invoice_item_details ?? parent?.subscription_item_details ?? null) as JsonObject | null;
    return details?.invoice_item !== invoiceItemId;
  });
  retotal(inv);
}

/**
 * Finalizes a draft: applies the customer's balance (credit reduces what is due, a negative total
 * becomes credit), numbers it, opens it and emits `invoice.finalized`. Nothing due means paid.
 */
export function finalizeInvoice(op: Op, inv: Rec, at: number): void {
  const { app } = op;
  const customer = app.store.require('customer', String(inv.customer));
  const starting = Number(customer.balance ?? 0);
  const total = Number(inv.total);
  const applied = total + starting;
  const amountDue = Math.max(applied, 0);
  const ending = applied < 0 ? applied : 0;
  if (ending !== starting) {
    const done = app.track('customer', customer);
    customer.balance = ending;
    done(op, 'customer.updated');
  }
  const sequence = Number(customer.next_invoice_sequence ?? 1);
  customer.next_invoice_sequence = sequence + 1;
  inv.starting_balance = starting;
  inv.ending_balance = ending;
  inv.amount_due = amountDue;
  inv.amount_remaining = amountDue;
  inv.number = `${String(customer.invoice_prefix)}-${String(sequence).padStart(4, '0')}`;
  inv.status = 'open';
  inv.effective_at = at;
  if (app.baseUrl) inv.hosted_invoice_url = `${app.baseUrl}/_standin/invoices/${String(inv.id)}`;
  (inv.status_transitions as JsonObject).finalized_at = at;
  app.emit(op, 'invoice.finalized', app.render('invoice', inv));
  if (amountDue === 0) markPaid(op, inv, at, false);
}

/**
 * The PaymentMethod Stripe charges: the invoice's, else the subscription's, else the customer's
 * `invoice_settings.default_payment_method`. Only methods still attached to the customer count.
 */
export function resolvePaymentMethod(app: App, customerId: string, candidates: (string | null | undefined)[]): Rec | null {
  for (const id of candidates) {
    if (!id) continue;
    const pm = app.store.get('payment_method', id);
    if (pm && pm.customer === customerId) return pm;
  }
  return null;
}

function candidatesFor(app: App, inv: Rec): (string | null)[] {
  const sub = inv.__subscription ? app.store.get('subscription', String(inv.__subscription)) : undefined;
  const customer = app.store.get('customer', String(inv.customer));
  const settings = customer?.invoice_settings as JsonObject | undefined;
  return [inv.default_payment_method as string | null, (sub?.default_payment_method as string | null) ?? null, (settings?.default_payment_method as string | null) ?? null];
}

export const NO_PAYMENT_METHOD_MESSAGE =
  'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.';

export type PaymentResult = { ok: true } | { ok: false; error: StripeApiError; retriesExhausted: boolean };

/**
 * One payment attempt on an open invoice. `automatic` attempts (creation, renewal, scheduled
 * retries) schedule the next retry; manual ones (`invoices.pay`) leave the schedule alone. What
 * happens to a subscription once retries run out is decided by the caller (subscriptions.ts).
 */
export function attemptPayment(op: Op, inv: Rec, at: number, opts: { automatic: boolean; paymentMethod?: Rec }): PaymentResult {
  const { app } = op;
  const pm = opts.paymentMethod ?? resolvePaymentMethod(app, String(inv.customer), candidatesFor(app, inv));
  if (!pm) {
    const error = invalidRequest(NO_PAYMENT_METHOD_MESSAGE, { replayable: true });
    const retriesExhausted = recordFailure(op, inv, at, { automatic: opts.automatic, retryable: false });
    return { ok: false, error, retriesExhausted };
  }
  const outcome = chargeOutcome(pm);
  if (outcome.ok) {
    const pi = inv.__payment_intent ? app.store.get('payment_intent', String(inv.__payment_intent)) : undefined;
    if (pi) succeeded(pi, String(pm.id));
    markPaid(op, inv, at, true);
    return { ok: true };
  }
  const retriesExhausted = recordFailure(op, inv, at, { automatic: opts.automatic, retryable: true });
  if (outcome.requiresAction) {
    // The bank asks the cardholder to authenticate: the invoice stays open for them to do so.
    // Its PaymentIntent waits for the cardholder, who completes it with Stripe.js and its client secret.
    const pi = invoicePaymentIntent(app, inv);
    requireAction(op, pi, pm, outcome.message);
    app.emit(op, 'invoice.payment_action_required', app.render('invoice', inv));
    const extra = { payment_method: app.render('payment_method', pm), payment_intent: app.render('payment_intent', pi) };
    return { ok: false, error: authenticationRequired(outcome.message, extra), retriesExhausted };
  }
  return { ok: false, error: cardDeclined(outcome.declineCode, outcome.message, { payment_method: app.render('payment_method', pm) }), retriesExhausted };
}

export function markPaid(op: Op, inv: Rec, at: number, charged: boolean): void {
  const { app } = op;
  if (charged) inv.attempt_count = Number(inv.attempt_count) + 1;
  inv.attempted = true;
  inv.amount_paid = Number(inv.amount_due);
  inv.amount_remaining = 0;
  inv.status = 'paid';
  inv.next_payment_attempt = null;
  inv.auto_advance = false;
  (inv.status_transitions as JsonObject).paid_at = at;
  const rendered = app.render('invoice', inv);
  app.emit(op, 'invoice.paid', rendered);
  app.emit(op, 'invoice.payment_succeeded', structuredClone(rendered));

  const customer = app.store.get('customer', String(inv.customer));
  if (customer?.delinquent && !hasFailedOpenInvoice(app, String(customer.id))) {
    const done = app.track('customer', customer);
    customer.delinquent = false;
    done(op, 'customer.updated');
  }
  const sub = inv.__subscription ? app.store.get('subscription', String(inv.__subscription)) : undefined;
  if (sub && sub.latest_invoice === inv.id && ['incomplete', 'past_due', 'unpaid'].includes(String(sub.status))) {
    const done = app.track('subscription', sub);
    sub.status = 'active';
    done(op, 'customer.subscription.updated');
  }
}

function hasFailedOpenInvoice(app: App, customerId: string): boolean {
  return app.store.all('invoice').some((i) => i.customer === customerId && i.status === 'open' && Number(i.attempt_count) > 0);
}

/** Records a failed attempt; true when it was the last automatic retry the schedule allows. */
function recordFailure(op: Op, inv: Rec, at: number, opts: { automatic: boolean; retryable: boolean }): boolean {
  const { app } = op;
  const attempts = Number(inv.attempt_count) + 1;
  inv.attempt_count = attempts;
  inv.attempted = true;
  const schedule = app.billing.retryScheduleDays;
  // Stripe retries renewals (not a subscription's first invoice, nor when there is no payment method).
  const retriesApply = opts.automatic && opts.retryable && inv.billing_reason !== 'subscription_create' && inv.auto_advance === true;
  let exhausted = false;
  if (opts.automatic) {
    // The retry schedule counts automatic attempts only; manual `invoices.pay` calls do not shift it.
    const automaticAttempts = Number(inv.__automatic_attempts ?? 0) + 1;
    inv.__automatic_attempts = automaticAttempts;
    const delayDays = retriesApply ? schedule[automaticAttempts - 1] : undefined;
    inv.next_payment_attempt = delayDays === undefined ? null : at + delayDays * DAY;
    exhausted = retriesApply && delayDays === undefined;
  }
  app.emit(op, 'invoice.payment_failed', app.render('invoice', inv));

  const customer = app.store.get('customer', String(inv.customer));
  if (customer && !customer.delinquent) {
    const done = app.track('customer', customer);
    customer.delinquent = true;
    done(op, 'customer.updated');
  }
  const sub = inv.__subscription ? app.store.get('subscription', String(inv.__subscription)) : undefined;
  if (sub && sub.latest_invoice === inv.id && (sub.status === 'active' || sub.status === 'trialing')) {
    const done = app.track('subscription', sub);
    sub.status = 'past_due';
    done(op, 'customer.subscription.updated');
  }
  return exhausted;
}

/** Voids an open invoice (`invoice.voided`); a past-due subscription whose latest invoice it was recovers. */
export function voidInvoice(op: Op, inv: Rec, at: number): void {
  closeInvoice(op, inv, at, 'void', 'voided_at', 'invoice.voided');
}

export function markUncollectible(op: Op, inv: Rec, at: number): void {
  closeInvoice(op, inv, at, 'uncollectible', 'marked_uncollectible_at', 'invoice.marked_uncollectible');
}

function closeInvoice(op: Op, inv: Rec, at: number, status: string, transition: string, eventType: string): void {
  const { app } = op;
  inv.status = status;
  inv.next_payment_attempt = null;
  inv.auto_advance = false;
  (inv.status_transitions as JsonObject)[transition] = at;
  app.emit(op, eventType, app.render('invoice', inv));
  const sub = inv.__subscription ? app.store.get('subscription', String(inv.__subscription)) : undefined;
  if (sub && sub.latest_invoice === inv.id && (sub.status === 'past_due' || sub.status === 'unpaid')) {
    const done = app.track('subscription', sub);
    sub.status = 'active';
    done(op, 'customer.subscription.updated');
  }
}
