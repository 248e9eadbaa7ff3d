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
  /** Null for an invoice item priced by `amount` alone. */
  price: Rec | null;
  quantity: number;
  amount: number;
  description: string;
  start: number;
  end: number;
  subscriptionId: string | null;
  /** The subscription item billed; null for a one-off invoice item (line parent `invoice_item_details`). */
  itemId: string | null;
  proration: boolean;
  invoiceItemId: string | null;
  /** Needed when there is no price. */
  currency?: string;
  unitAmountDecimal?: string;
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
  const { price } = input;
  const parent: JsonObject =
    input.itemId !== null
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: input.invoiceItemId,
            proration: input.proration,
            proration_details: { credited_items: null },
            subscription: input.subscriptionId,
            subscription_item: input.itemId,
          },
        }
      : {
          type: 'invoice_item_details',
          invoice_item_details: {
            invoice_item: String(input.invoiceItemId),
            proration: input.proration,
            proration_details: { credited_items: null },
            subscription: input.subscriptionId,
          },
          subscription_item_details: null,
        };
  const pricing: JsonObject = price
    ? { type: 'price_details', price_details: { price: String(price.id), product: String(price.product) }, unit_amount_decimal: String(price.unit_amount_decimal ?? unitAmount(price)) }
    : { type: 'price_details', unit_amount_decimal: input.unitAmountDecimal ?? String(input.amount) };
  return lineItemTemplate({
    id: `il_${randomToken(24)}`,
    amount: input.amount,
    currency: price ? String(price.currency) : String(input.currency),
    description: input.description === '' ? null : input.description,
    discountable: !input.proration && input.amount >= 0,
    invoice: invoiceId,
    parent,
    period: { end: input.end, start: input.start },
    pricing,
    quantity: input.quantity,
    quantity_decimal: String(input.quantity),
    subscription: input.subscriptionId,
    subtotal: input.amount,
  });
}

/**
 * The line an invoice item becomes: a proration bills its subscription item; a one-off item
 * (created through `POST /v1/invoiceitems`, with a price or just an amount) may have no
 * subscription, no subscription item and no price.
 */
export function lineFromInvoiceItem(app: App, ii: Rec): LineInput {
  const price = ii.__price ? (app.store.get('price', String(ii.__price)) ?? null) : null;
  const period = ii.period as JsonObject;
  const pricing = ii.pricing as JsonObject | null;
  return {
    price,
    quantity: Number(ii.quantity),
    amount: Number(ii.amount),
    description: ii.description === null ? '' : String(ii.description),
    start: Number(period.start),
    end: Number(period.end),
    subscriptionId: ii.__subscription ? String(ii.__subscription) : null,
    itemId: ii.__subscription_item ? String(ii.__subscription_item) : null,
    proration: Boolean(ii.proration),
    invoiceItemId: String(ii.id),
    currency: String(ii.currency),
    unitAmountDecimal: pricing?.unit_amount_decimal == null ? undefined : String(pricing.unit_amount_decimal),
  };
}

/** A subscription's pending invoice items: its prorations and items created with its id. */
export function pendingItems(app: App, subscriptionId: string): Rec[] {
  return app.store.all('invoiceitem').filter((ii) => ii.__subscription === subscriptionId && ii.invoice === null);
}

/**
 * The customer's pending invoice items tied to no subscription, in the subscription's currency:
 * as Stripe does, the subscription's next scheduled (renewal) invoice takes them in.
 */
export function pendingCustomerItems(app: App, sub: Rec): Rec[] {
  return app.store.all('invoiceitem').filter((ii) => ii.invoice === null && !ii.__subscription && ii.customer === sub.customer && ii.currency === sub.currency);
}
