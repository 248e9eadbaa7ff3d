import type { Op } from '../app';
import { addItemToDraft, removeItemFromDraft } from '../billing/invoices';
import { productName, unitAmount } from '../billing/lines';
import { invalidRequest, missingParam } from '../http/errors';
import { newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { invoiceItemTemplate, deletedObject } from '../objects/templates';
import { applyMetadata, optBool, optInt, optNonNegativeInt, optObject, optString, refuseUnsupported, reqString } from '../params';
import type { Rec } from '../store';
import type { JsonObject, Params } from '../types';
import { liveCustomer } from './shared';

/**
 * Invoice items: one-off charges (or credits) for a customer, priced by a one-time price
 * (`pricing[price]`) or by `amount` + `currency`. Pending until an invoice takes them in: a
 * subscription's next invoice, an invoice created with `pending_invoice_items_behavior=include`,
 * or the draft named by `invoice`. Prorations are invoice items too (billing/prorations.ts).
 */

/** Declared by the SDK's InvoiceItemCreateParams but not implemented here. */
const UNSUPPORTED_CREATE = ['customer_account', 'discounts', 'price_data', 'quantity_decimal', 'tax_behavior', 'tax_code', 'tax_rates', 'unit_amount_decimal'];

function currencyOf(params: Params): string | undefined {
  const currency = optString(params, 'currency');
  if (currency === undefined || currency === '') return undefined;
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${currency}`, { param: 'currency' });
  return currency.toLowerCase();
}

function periodOf(params: Params, at: number): { start: number; end: number } {
  const period = optObject(params, 'period');
  if (!period) return { start: at, end: at };
  const start = optInt(period, 'start', 'period[');
  const end = optInt(period, 'end', 'period[');
  if (start === undefined) throw missingParam('period[start]');
  if (end === undefined) throw missingParam('period[end]');
  if (end < start) throw invalidRequest('The period end must be greater than or equal to the period start.', { param: 'period[end]' });
  return { start, end };
}

function createInvoiceItem(op: Op, params: Params): JsonObject {
  const { app } = op;
  refuseUnsupported(params, UNSUPPORTED_CREATE);
  const customer = liveCustomer(app, reqString(params, 'customer'));
  const customerId = String(customer.id);
  const at = app.nowForCustomer(customerId);

  const pricing = optObject(params, 'pricing');
  if (pricing) {
    for (const key of Object.keys(pricing)) if (key !== 'price') throw invalidRequest(`Received unknown parameter: pricing[${key}]`, { code: 'parameter_unknown', param: `pricing[${key}]` });
  }
  const priceId = pricing ? optString(pricing, 'price') : undefined;
  const amountParam = optInt(params, 'amount');
  const quantityParam = optNonNegativeInt(params, 'quantity');
  let currency = currencyOf(params);
  let price: Rec | null = null;
  let amount: number;
  let quantity = quantityParam ?? 1;
  if (priceId) {
    if (amountParam !== undefined) throw invalidRequest('You may only specify one of these parameters: amount, pricing[price].', { param: 'amount' });
    price = app.store.require('price', priceId, 'pricing[price]');
    if (price.type !== 'one_time') {
      throw invalidRequest('The price specified is set to `type=recurring` but this field only accepts prices with `type=one_time`.', { param: 'pricing[price]' });
    }
    if (price.active === false) throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, { param: 'pricing[price]' });
    if (currency !== undefined && currency !== price.currency) {
      throw invalidRequest(`The currency ${currency} does not match the price's currency ${String(price.currency)}.`, { param: 'currency' });
    }
    currency = String(price.currency);
    amount = unitAmount(price) * quantity;
  } else {
    if (amountParam === undefined) throw missingParam('amount');
    // `amount` is the item's whole amount: a quantity beside it would be ambiguous.
    if (quantityParam !== undefined && quantityParam !== 1) {
      throw invalidRequest('`quantity` can only be set with `pricing[price]`; `amount` is the whole amount of the invoice item.', { param: 'quantity' });
    }
    currency ??= customer.currency ? String(customer.currency) : undefined;
    if (currency === undefined) throw missingParam('currency');
    amount = amountParam;
    quantity = 1;
  }

  const subscriptionId = optString(params, 'subscription');
  const sub = subscriptionId ? app.store.require('subscription', subscriptionId, 'subscription') : null;
  if (sub && sub.customer !== customerId) throw invalidRequest(`The subscription ${String(sub.id)} does not belong to customer ${customerId}.`, { param: 'subscription' });
  if (sub && sub.currency !== currency) throw invalidRequest(`The currency ${currency} does not match the subscription's currency ${String(sub.currency)}.`, { param: 'currency' });

  const invoiceId = optString(params, 'invoice');
  const inv = invoiceId ? app.store.require('invoice', invoiceId, 'invoice') : null;
  if (inv) {
    if (inv.customer !== customerId) throw invalidRequest(`The invoice ${String(inv.id)} does not belong to customer ${customerId}.`, { param: 'invoice' });
    if (inv.status !== 'draft') throw invalidRequest(`You can only add invoice items to draft invoices; invoice ${String(inv.id)} is ${String(inv.status)}.`, { param: 'invoice' });
    if (inv.currency !== currency) throw invalidRequest(`The currency ${currency} does not match the invoice's currency ${String(inv.currency)}.`, { param: 'currency' });
  }

  const description = optString(params, 'description');
  const ii: Rec = invoiceItemTemplate({
    id: app.store.newId('invoiceitem'),
    amount,
    currency,
    customer: customerId,
    date: at,
    description: description ?? (price ? productName(app, price) : null),
    discountable: optBool(params, 'discountable') ?? amount >= 0,
    metadata: applyMetadata({}, params),
    net_amount: amount,
    parent: sub ? { type: 'subscription_details', subscription_details: { subscription: String(sub.id) } } : null,
    period: periodOf(params, at),
    pricing: price
      ? { type: 'price_details', price_details: { price: String(price.id), product: String(price.product) }, unit_amount_decimal: String(price.unit_amount_decimal ?? unitAmount(price)) }
      : { type: 'price_details', unit_amount_decimal: String(amount) },
    quantity,
    quantity_decimal: String(quantity),
    test_clock: customer.test_clock ?? null,
  });
  ii.__price = price ? String(price.id) : null;
  ii.__subscription = sub ? String(sub.id) : null;
  ii.__subscription_item = null;
  app.store.insert('invoiceitem', ii);
  if (inv) addItemToDraft(app, inv, ii);
  const rendered = app.render('invoiceitem', ii);
  app.emit(op, 'invoiceitem.created', rendered);
  return structuredClone(rendered);
}

export const invoiceItemRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/invoiceitems',
    params: ['customer', 'amount', 'currency', 'description', 'discountable', 'invoice', 'metadata', 'period', 'pricing', 'quantity', 'subscription', ...UNSUPPORTED_CREATE],
    handler: ({ op, params }) => createInvoiceItem(op, params),
  },
  {
    method: 'DELETE',
    pattern: '/v1/invoiceitems/:id',
    params: [],
    handler: ({ op, path }) => {
      const { app } = op;
      const ii = app.store.require('invoiceitem', path.id as string);
      const inv = ii.invoice ? app.store.get('invoice', String(ii.invoice)) : undefined;
      if (inv && inv.status !== 'draft') {
        throw invalidRequest(`This invoice item is on invoice ${String(inv.id)}, which is no longer a draft: it can no longer be deleted.`, { param: 'id' });
      }
      if (inv) removeItemFromDraft(inv, String(ii.id));
      const snapshot = app.render('invoiceitem', ii);
      app.store.delete('invoiceitem', String(ii.id));
      app.emit(op, 'invoiceitem.deleted', snapshot);
      return deletedObject('invoiceitem', String(ii.id));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/invoiceitems/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('invoiceitem', path.id as string),
  },
  {
    method: 'GET',
    pattern: '/v1/invoiceitems',
    params: [...LIST_PARAMS, 'customer', 'invoice', 'pending', 'created'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const invoice = optString(params, 'invoice');
      const pending = optBool(params, 'pending');
      const recs = app.store
        .all('invoiceitem')
        .filter(
          (ii) =>
            (customer === undefined || ii.customer === customer) &&
            (invoice === undefined || ii.invoice === invoice) &&
            (pending === undefined || (ii.invoice === null) === pending),
        );
      return paginate(app, 'invoiceitem', newestFirst(recs), params, '/v1/invoiceitems');
    },
  },
];
