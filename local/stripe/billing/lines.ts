import type { App } from '../app';
import { lineItemTemplate } from '../objects/templates';
import { subscriptionItems } from '../objects/render';
import type { Rec } from '../store';
import { randomToken } from '../store';
import type { JsonObject } from '../types';
import { boundary, formatMoney, type Interval } from './periods';

/**
 * Billing vocabulary shared by the engine's modules: subscription periods and invoice lines.
 * Every billing function takes the time `at` (seconds) at which it acts, so the same code runs
 * for real time, `tick()` and test clock advances.
 */

export const DAY = 86_400;

export type PaymentBehavior = 'allow_incomplete' | 'default_incomplete' | 'error_if_incomplete' | 'pending_if_incomplete';
export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';
export type BillingReason = 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';

/** Statuses in which a subscription bills each period. */
export const BILLING_STATUSES = new Set(['active', 'past_due', 'unpaid', 'trialing']);

export function recurringOf(price: Rec): { interval: Interval; count: number } {
  const r = price.recurring as JsonObject | null;
  return { interval: (r?.interval ?? 'month') as Interval, count: Number(r?.interval_count ?? 1) };
}

export function unitAmount(price: Rec): number {
  return Number(price.unit_amount ?? 0);
}

export function productName(app: App, price: Rec): string {
  const product = app.store.get('product', String(price.product));
  return product ? String(product.name) : String(price.product);
}

/** Start of the full period the current one belongs to (differs from its start only for a first, shortened period). */
export function fullPeriodStart(sub: Rec): number {
  return boundary(Number(sub.__anchor), sub.__interval as Interval, Number(sub.__interval_count), Number(sub.__period_index) - 1);
}

export function periodOf(sub: Rec): { start: number; end: number } {
  return { start: Number(sub.__period_start), end: Number(sub.__period_end) };
}

export function setPeriod(app: App, sub: Rec, index: number, start: number, end: number): void {
  sub.__period_index = index;
  sub.__period_start = start;
  sub.__period_end = end;
  for (const item of subscriptionItems(app.store, String(sub.id))) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

export interface LineInput {
  price: Rec;
  quantity: number;
  amount: number;
  description: string;
  start: number;
  end: number;
  subscriptionId: string;
  itemId: string;
  proration: boolean;
  invoiceItemId: string | null;
}

export function periodLine(app: App, sub: Rec, item: Rec, price: Rec, start: number, end: number): LineInput {
  const quantity = Number(item.quantity);
  const { interval } = recurringOf(price);
  const currency = String(price.currency);
  return {
    price,
    quantity,
    amount: unitAmount(price) * quantity,
    description: `${quantity} × ${productName(app, price)} (at ${formatMoney(unitAmount(price), currency)} / ${interval})`,
    start,
    end,
    subscriptionId: String(sub.id),
    itemId: String(item.id),
    proration: false,
    invoiceItemId: null,
  };
}

export function toLine(app: App, input: LineInput, invoiceId: string): JsonObject {
  const priceId = String(input.price.id);
  return lineItemTemplate({
    id: `il_${randomToken(24)}`,
    amount: input.amount,
    currency: String(input.price.currency),
    description: input.description,
    discountable: !input.proration,
    invoice: invoiceId,
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: input.invoiceItemId,
        proration: input.proration,
        proration_details: { credited_items: null },
        subscription: input.subscriptionId,
        subscription_item: input.itemId,
      },
    },
    period: { end: input.end, start: input.start },
    pricing: { type: 'price_details', price_details: { price: priceId, product: String(input.price.product) }, unit_amount_decimal: String(input.price.unit_amount_decimal ?? unitAmount(input.price)) },
    quantity: input.quantity,
    quantity_decimal: String(input.quantity),
    subscription: input.subscriptionId,
    subtotal: input.amount,
  });
}

export function lineFromInvoiceItem(app: App, ii: Rec): LineInput {
  const price = app.store.get('price', String(ii.__price));
  const period = ii.period as JsonObject;
  if (!price) throw new Error(`invoice item ${String(ii.id)} without price`);
  return {
    price,
    quantity: Number(ii.quantity),
    amount: Number(ii.amount),
    description: String(ii.description),
    start: Number(period.start),
    end: Number(period.end),
    subscriptionId: String(ii.__subscription),
    itemId: String(ii.__subscription_item),
    proration: Boolean(ii.proration),
    invoiceItemId: String(ii.id),
  };
}

export function pendingItems(app: App, subscriptionId: string): Rec[] {
  return app.store.all('invoiceitem').filter((ii) => ii.__subscription === subscriptionId && ii.invoice === null);
}
