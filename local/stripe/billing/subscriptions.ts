import type { App, Op } from '../app';
import { authenticationRequired, cardDeclined, invalidRequest } from '../http/errors';
import { subscriptionItemTemplate, subscriptionTemplate } from '../objects/templates';
import { subscriptionItems } from '../objects/render';
import type { Rec } from '../store';
import type { JsonObject } from '../types';
import { chargeOutcome } from './cards';
import { attemptPayment, createInvoice, finalizeInvoice, NO_PAYMENT_METHOD_MESSAGE, resolvePaymentMethod, voidInvoice } from './invoices';
import {
  BILLING_STATUSES,
  fullPeriodStart,
  pendingCustomerItems,
  pendingItems,
  periodLine,
  periodOf,
  productName,
  recurringOf,
  setPeriod,
  unitAmount,
  type BillingReason,
  type LineInput,
  type PaymentBehavior,
  type ProrationBehavior,
} from './lines';
import { boundary, formatDate, prorate, type Interval } from './periods';
import { createProrations, prorationSpecs, type ItemChange } from './prorations';

/**
 * Subscriptions: creation with its first invoice, renewals, item changes with prorations,
 * cancellation and expiry, following Stripe's status machine.
 */

/**
 * An automatic payment attempt; when it was the last retry the schedule allows, applies the
 * account's "retries exhausted" setting to the subscription (cancel, mark unpaid, or leave it).
 */
export function chargeAutomatically(op: Op, inv: Rec, at: number): void {
  const result = attemptPayment(op, inv, at, { automatic: true });
  if (result.ok || !result.retriesExhausted) return;
  const sub = inv.__subscription ? op.app.store.get('subscription', String(inv.__subscription)) : undefined;
  if (!sub || sub.status === 'canceled' || sub.status === 'incomplete_expired') return;
  const action = op.app.billing.onRetriesExhausted;
  if (action === 'cancel') {
    cancelSubscription(op, sub, at, { reason: 'payment_failed' });
  } else if (action === 'unpaid') {
    const done = op.app.track('subscription', sub);
    sub.status = 'unpaid';
    done(op, 'customer.subscription.updated');
  }
}

export interface NewItem {
  price: Rec;
  quantity: number;
  metadata: JsonObject;
}

export interface NewSubscription {
  customer: Rec;
  items: NewItem[];
  defaultPaymentMethod: string | null;
  paymentBehavior: PaymentBehavior;
  prorationBehavior: ProrationBehavior;
  metadata: JsonObject;
  description: string | null;
  billingCycleAnchor: number | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  at: number;
}

/** Lines of a subscription's first invoice (prorated when a future billing_cycle_anchor shortens the first period). */
function firstPeriodLines(app: App, sub: Rec, items: Rec[], prorationBehavior: ProrationBehavior): LineInput[] {
  const { start, end } = periodOf(sub);
  const fullStart = fullPeriodStart(sub);
  return items.map((item) => {
    const price = app.store.require('price', String(item.__price));
    const line = periodLine(app, sub, item, price, start, end);
    if (fullStart === start) return line;
    const amount = prorationBehavior === 'none' ? 0 : prorate(line.amount, start, fullStart, end);
    return { ...line, amount, proration: true, description: `Remaining time on ${line.quantity} × ${productName(app, price)} after ${formatDate(start)}` };
  });
}

/** Amount the first invoice would ask for, and who would pay it (for `error_if_incomplete`). */
export function precheckFirstPayment(app: App, n: NewSubscription): void {
  const first = n.billingCycleAnchor !== null && n.billingCycleAnchor > n.at;
  let total = 0;
  for (const item of n.items) {
    const full = unitAmount(item.price) * item.quantity;
    if (!first) total += full;
    else if (n.prorationBehavior !== 'none') {
      const { interval, count } = recurringOf(item.price);
      const anchor = n.billingCycleAnchor as number;
      total += prorate(full, n.at, boundary(anchor, interval, count, -1), anchor);
    }
  }
  const due = total + Number(n.customer.balance ?? 0);
  if (due <= 0) return;
  const settings = n.customer.invoice_settings as JsonObject;
  const pm = resolvePaymentMethod(app, String(n.customer.id), [n.defaultPaymentMethod, settings.default_payment_method as string | null]);
  if (!pm) throw invalidRequest(NO_PAYMENT_METHOD_MESSAGE);
  const outcome = chargeOutcome(pm);
  if (!outcome.ok) throw outcome.requiresAction ? authenticationRequired(outcome.message) : cardDeclined(outcome.declineCode, outcome.message);
}

/**
 * Creates a subscription the way Stripe does: `incomplete` with its items, then the first invoice
 * (created, finalized, charged per `payment_behavior`); a paid first invoice makes it `active`.
 */
export function createSubscription(op: Op, n: NewSubscription): Rec {
  const { app } = op;
  const first = n.items[0];
  if (!first) throw invalidRequest('Missing required param: items.', { code: 'parameter_missing', param: 'items' });
  const { interval, count } = recurringOf(first.price);
  const currency = String(first.price.currency);
  const anchor = n.billingCycleAnchor ?? n.at;
  const id = app.store.newId('subscription');
  const invoiceId = app.store.newId('invoice');
  const sub: Rec = subscriptionTemplate({
    id,
    billing_cycle_anchor: anchor,
    created: n.at,
    currency,
    customer: String(n.customer.id),
    default_payment_method: n.defaultPaymentMethod,
    description: n.description,
    latest_invoice: invoiceId,
    metadata: n.metadata,
    start_date: n.at,
    status: 'incomplete',
    test_clock: n.customer.test_clock ?? null,
  });
  sub.__anchor = anchor;
  sub.__interval = interval;
  sub.__interval_count = count;
  app.store.insert('subscription', sub);
  for (const it of n.items) {
    const item: Rec = subscriptionItemTemplate({ id: app.store.newId('subscription_item'), created: n.at, metadata: it.metadata, quantity: it.quantity, subscription: id });
    item.__price = String(it.price.id);
    app.store.insert('subscription_item', item);
  }
  const index = anchor > n.at ? 0 : 1;
  setPeriod(app, sub, index, n.at, boundary(anchor, interval, count, index));
  if (n.cancelAtPeriodEnd) {
    sub.cancel_at_period_end = true;
    sub.cancel_at = sub.__period_end as number;
    sub.canceled_at = n.at;
  } else if (n.cancelAt !== null) {
    sub.cancel_at = n.cancelAt;
    sub.canceled_at = n.at;
  }
  if (n.customer.currency === null) n.customer.currency = currency;
  app.emit(op, 'customer.subscription.created', app.render('subscription', sub));

  const items = subscriptionItems(app.store, id);
  const inv = createInvoice(op, {
    id: invoiceId,
    customer: n.customer,
    subscription: sub,
    reason: 'subscription_create',
    at: n.at,
    periodStart: n.at,
    periodEnd: n.at,
    lines: firstPeriodLines(app, sub, items, n.prorationBehavior),
    currency,
  });
  finalizeInvoice(op, inv, n.at);
  if (inv.status === 'open' && n.paymentBehavior !== 'default_incomplete') {
    chargeAutomatically(op, inv, n.at);
  }
  return sub;
}

/** Starts the next period: moves the items' periods on, invoices the period in advance, charges it. */
export function renew(op: Op, sub: Rec, at: number): void {
  const { app } = op;
  const customer = app.store.require('customer', String(sub.customer));
  const old = periodOf(sub);
  const index = Number(sub.__period_index) + 1;
  const end = boundary(Number(sub.__anchor), sub.__interval as Interval, Number(sub.__interval_count), index);
  const done = app.track('subscription', sub);
  setPeriod(app, sub, index, old.end, end);
  const invoiceId = app.store.newId('invoice');
  sub.latest_invoice = invoiceId;
  done(op, 'customer.subscription.updated');

  const items = subscriptionItems(app.store, String(sub.id));
  const lines = items.map((item) => periodLine(app, sub, item, app.store.require('price', String(item.__price)), old.end, end));
  const inv = createInvoice(op, {
    id: invoiceId,
    customer,
    subscription: sub,
    reason: 'subscription_cycle',
    at,
    periodStart: old.start,
    periodEnd: old.end,
    lines,
    absorb: [...pendingItems(app, String(sub.id)), ...pendingCustomerItems(app, sub)],
    currency: String(sub.currency),
  });
  // Like Stripe, a renewal stays a draft for an hour (when it may still be edited), then is
  // finalized and charged (finalizeDueDraft, run by the scheduler).
  inv.automatically_finalizes_at = at + RENEWAL_DRAFT_SECONDS;
}

/** How long a renewal invoice stays a draft before Stripe finalizes and charges it. */
export const RENEWAL_DRAFT_SECONDS = 3_600;

/** The draft hour of a renewal is over: finalize it and, unless the subscription is unpaid, charge it. */
export function finalizeDueDraft(op: Op, inv: Rec, at: number): void {
  inv.automatically_finalizes_at = null;
  finalizeInvoice(op, inv, at);
  const sub = inv.__subscription ? op.app.store.get('subscription', String(inv.__subscription)) : undefined;
  // Stripe leaves invoices of `unpaid` subscriptions uncollected, and sends (does not charge) `send_invoice` ones.
  if (inv.status === 'open' && sub?.status !== 'unpaid' && inv.collection_method !== 'send_invoice') chargeAutomatically(op, inv, at);
}

/** Invoices pending prorations now (`proration_behavior=always_invoice`, `invoice_now`). */
export function invoicePendingNow(op: Op, sub: Rec, at: number, reason: BillingReason): Rec | null {
  const { app } = op;
  const pending = pendingItems(app, String(sub.id));
  if (pending.length === 0) return null;
  const customer = app.store.require('customer', String(sub.customer));
  const invoiceId = app.store.newId('invoice');
  if (sub.status !== 'canceled') sub.latest_invoice = invoiceId;
  const inv = createInvoice(op, { id: invoiceId, customer, subscription: sub, reason, at, periodStart: at, periodEnd: at, lines: [], absorb: pending, currency: String(sub.currency) });
  finalizeInvoice(op, inv, at);
  // A final invoice (`invoice_now` on cancel) is charged too.
  if (inv.status === 'open') chargeAutomatically(op, inv, at);
  return inv;
}

export interface CancelOptions {
  reason: 'cancellation_requested' | 'payment_failed' | 'payment_disputed';
  comment?: string | null;
  feedback?: string | null;
  prorate?: boolean;
  invoiceNow?: boolean;
}

/** Ends a subscription now: `canceled`, collection stops on its open invoices, `customer.subscription.deleted`. */
export function cancelSubscription(op: Op, sub: Rec, at: number, opts: CancelOptions): void {
  const { app } = op;
  if (opts.prorate && BILLING_STATUSES.has(String(sub.status))) {
    const items = subscriptionItems(app.store, String(sub.id));
    createProrations(
      op,
      sub,
      items.map((item) => ({ kind: 'delete' as const, item })),
      at,
    );
  }
  sub.status = 'canceled';
  sub.canceled_at = sub.canceled_at ?? at;
  sub.ended_at = at;
  const details = sub.cancellation_details as JsonObject;
  details.reason = opts.reason;
  if (opts.comment !== undefined) details.comment = opts.comment;
  if (opts.feedback !== undefined) details.feedback = opts.feedback;
  for (const inv of app.store.all('invoice')) {
    if (inv.__subscription === sub.id && inv.status === 'open') {
      inv.auto_advance = false;
      inv.next_payment_attempt = null;
    }
  }
  app.emit(op, 'customer.subscription.deleted', app.render('subscription', sub));
  if (opts.invoiceNow) invoicePendingNow(op, sub, at, 'subscription_update');
}

/** An `incomplete` subscription whose first invoice stayed unpaid expires; the invoice is voided. */
export function expireIncomplete(op: Op, sub: Rec, at: number): void {
  const { app } = op;
  const done = app.track('subscription', sub);
  sub.status = 'incomplete_expired';
  sub.ended_at = at;
  done(op, 'customer.subscription.updated');
  const inv = sub.latest_invoice ? app.store.get('invoice', String(sub.latest_invoice)) : undefined;
  if (inv && inv.status === 'open') voidInvoice(op, inv, at);
}

export interface ChangeOptions {
  prorationBehavior: ProrationBehavior;
  prorationDate: number;
  paymentBehavior: PaymentBehavior;
}

/**
 * Validates a set of item changes against Stripe's rules (at least one item left, one item per
 * price, one currency and interval), then, for `error_if_incomplete` with `always_invoice`,
 * refuses a change whose proration charge would be declined.
 */
export function validateItemChanges(app: App, sub: Rec, changes: ItemChange[], opts: ChangeOptions): void {
  const live = new Map(subscriptionItems(app.store, String(sub.id)).map((i) => [String(i.id), String(i.__price)]));
  const added: string[] = [];
  for (const c of changes) {
    if (c.kind === 'delete') live.delete(String(c.item.id));
    else if (c.kind === 'update' && c.price) live.set(String(c.item.id), String(c.price.id));
    else if (c.kind === 'add') added.push(String(c.price.id));
  }
  const prices = [...live.values(), ...added];
  if (prices.length === 0) {
    throw invalidRequest('A subscription must have at least one active plan. To cancel a subscription, please use the cancel API endpoint on /v1/subscriptions.');
  }
  const seen = new Set<string>();
  for (const p of prices) {
    if (seen.has(p)) throw invalidRequest(`Cannot add multiple subscription items with the same plan: ${p}`, { param: 'items' });
    seen.add(p);
  }
  for (const c of changes) {
    const price = c.kind === 'delete' ? undefined : c.price;
    if (!price) continue;
    const { interval, count } = recurringOf(price);
    if (price.currency !== sub.currency) {
      throw invalidRequest(`The price specified (${String(price.id)}) has a currency (${String(price.currency)}) that does not match the subscription's currency (${String(sub.currency)}).`, { param: 'items' });
    }
    if (interval !== sub.__interval || count !== Number(sub.__interval_count)) {
      throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', { param: 'items' });
    }
  }
  if (opts.paymentBehavior === 'error_if_incomplete' && opts.prorationBehavior === 'always_invoice' && BILLING_STATUSES.has(String(sub.status))) {
    const due = prorationSpecs(app, sub, changes, opts.prorationDate, new Map()).reduce((s, p) => s + p.amount, 0) + pendingItems(app, String(sub.id)).reduce((s, ii) => s + Number(ii.amount), 0);
    if (due > 0) {
      const customer = app.store.require('customer', String(sub.customer));
      const settings = customer.invoice_settings as JsonObject;
      const pm = resolvePaymentMethod(app, String(customer.id), [sub.default_payment_method as string | null, settings.default_payment_method as string | null]);
      if (!pm) throw invalidRequest(NO_PAYMENT_METHOD_MESSAGE);
      const outcome = chargeOutcome(pm);
      if (!outcome.ok) throw outcome.requiresAction ? authenticationRequired(outcome.message) : cardDeclined(outcome.declineCode, outcome.message);
    }
  }
}

/** Applies validated item changes and their prorations (pending invoice items). Returns the items added. */
export function applyItemChanges(op: Op, sub: Rec, changes: ItemChange[], at: number, opts: ChangeOptions): Rec[] {
  const { app } = op;
  const { start, end } = periodOf(sub);
  const newItemIds = new Map<ItemChange, string>();
  for (const c of changes) if (c.kind === 'add') newItemIds.set(c, app.store.newId('subscription_item'));
  if (opts.prorationBehavior !== 'none' && BILLING_STATUSES.has(String(sub.status))) {
    createProrations(op, sub, changes, opts.prorationDate, newItemIds);
  }
  const added: Rec[] = [];
  for (const c of changes) {
    if (c.kind === 'add') {
      const item: Rec = subscriptionItemTemplate({
        id: newItemIds.get(c) ?? app.store.newId('subscription_item'),
        created: at,
        current_period_end: end,
        current_period_start: start,
        metadata: c.metadata,
        quantity: c.quantity,
        subscription: String(sub.id),
      });
      item.__price = String(c.price.id);
      app.store.insert('subscription_item', item);
      added.push(item);
    } else if (c.kind === 'delete') {
      c.item.__deleted = true;
    } else {
      if (c.price) c.item.__price = String(c.price.id);
      if (c.quantity !== undefined) c.item.quantity = c.quantity;
      if (c.metadata) c.item.metadata = c.metadata;
    }
  }
  return added;
}
