import type { App } from '../app';
import { invalidRequest } from '../http/errors';
import { invoiceTemplate } from '../objects/templates';
import { subscriptionItems } from '../objects/render';
import type { Rec } from '../store';
import { randomToken } from '../store';
import type { JsonObject } from '../types';
import { BILLING_STATUSES, lineFromInvoiceItem, pendingCustomerItems, pendingItems, periodLine, periodOf, recurringOf, toLine, type BillingReason, type LineInput, type ProrationBehavior } from './lines';
import { boundary, type Interval } from './periods';
import { prorationSpecs, type ItemChange } from './prorations';
import type { NewItem } from './subscriptions';

export interface PreviewOptions {
  /** Changes to preview on an existing subscription. */
  changes: ItemChange[];
  /** Items of a subscription that does not exist yet. */
  newItems: NewItem[];
  prorationBehavior: ProrationBehavior;
  prorationDate: number;
}

function itemsAfter(app: App, sub: Rec, changes: ItemChange[]): { price: Rec; quantity: number; id: string }[] {
  const rows = subscriptionItems(app.store, String(sub.id)).map((i) => ({ id: String(i.id), price: app.store.require('price', String(i.__price)), quantity: Number(i.quantity) }));
  for (const c of changes) {
    if (c.kind === 'add') rows.push({ id: '', price: c.price, quantity: c.quantity });
    else if (c.kind === 'delete') rows.splice(rows.findIndex((r) => r.id === c.item.id), 1);
    else {
      const row = rows.find((r) => r.id === c.item.id);
      if (row && c.price) row.price = c.price;
      if (row && c.quantity !== undefined) row.quantity = c.quantity;
    }
  }
  return rows;
}

/**
 * The invoice Stripe would create next (`POST /v1/invoices/create_preview`), built with the same
 * line logic as real invoices and stored nowhere: the next renewal of a subscription (with pending
 * and previewed prorations), the immediate invoice of an `always_invoice` change, or the first
 * invoice of a subscription that does not exist yet.
 */
export function previewInvoice(app: App, customer: Rec, sub: Rec | null, opts: PreviewOptions): JsonObject {
  const id = `upcoming_in_${randomToken(24)}`;
  const now = app.nowForCustomer(String(customer.id));
  let lines: LineInput[];
  let reason: BillingReason;
  let periodStart: number;
  let periodEnd: number;
  let created: number;
  let currency: string;
  if (!sub) {
    const first = opts.newItems[0];
    if (!first) throw invalidRequest(`No upcoming invoices for customer: ${String(customer.id)}`, { code: 'invoice_upcoming_none' });
    const { interval, count } = recurringOf(first.price);
    const fake: Rec = { id: '', __anchor: now, __interval: interval, __interval_count: count, __period_index: 1, __period_start: now, __period_end: boundary(now, interval, count, 1) };
    lines = opts.newItems.map((it) => periodLine(app, fake, { id: '', quantity: it.quantity }, it.price, now, Number(fake.__period_end)));
    reason = 'subscription_create';
    periodStart = periodEnd = created = now;
    currency = String(first.price.currency);
  } else {
    currency = String(sub.currency);
    const proratable = opts.prorationBehavior !== 'none' && BILLING_STATUSES.has(String(sub.status));
    const specs = proratable ? prorationSpecs(app, sub, opts.changes, opts.prorationDate, new Map()) : [];
    const { start, end } = periodOf(sub);
    const prorationLines: LineInput[] = [
      ...pendingItems(app, String(sub.id)).map((ii) => lineFromInvoiceItem(app, ii)),
      ...specs.map((spec) => ({ price: spec.price, quantity: spec.quantity, amount: spec.amount, description: spec.description, start: opts.prorationDate, end, subscriptionId: String(sub.id), itemId: spec.itemId, proration: true, invoiceItemId: null })),
    ];
    if (opts.prorationBehavior === 'always_invoice' && opts.changes.length > 0) {
      lines = prorationLines;
      reason = 'subscription_update';
      periodStart = periodEnd = created = opts.prorationDate;
    } else {
      const nextEnd = boundary(Number(sub.__anchor), sub.__interval as Interval, Number(sub.__interval_count), Number(sub.__period_index) + 1);
      lines = [
        ...itemsAfter(app, sub, opts.changes).map((row) => periodLine(app, sub, { id: row.id, quantity: row.quantity }, row.price, end, nextEnd)),
        ...prorationLines,
        ...pendingCustomerItems(app, sub).map((ii) => lineFromInvoiceItem(app, ii)),
      ];
      reason = 'subscription_cycle';
      periodStart = start;
      periodEnd = end;
      created = end;
    }
  }
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const applied = total + Number(customer.balance ?? 0);
  const rec: Rec = invoiceTemplate({
    id,
    created,
    currency,
    customer: String(customer.id),
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    billing_reason: reason,
    parent: sub ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: structuredClone(sub.metadata ?? {}), subscription: String(sub.id) } } : null,
    __subscription: sub ? String(sub.id) : null,
    period_start: periodStart,
    period_end: periodEnd,
    next_payment_attempt: created,
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    starting_balance: Number(customer.balance ?? 0),
    amount_due: Math.max(applied, 0),
    amount_remaining: Math.max(applied, 0),
    test_clock: customer.test_clock ?? null,
  });
  rec.__lines = lines.map((l) => toLine(app, l, id));
  return app.render('invoice', rec);
}
