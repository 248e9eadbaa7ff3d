import type { Op } from '../app';
import { attemptPayment, createInvoice, finalizeInvoice, markUncollectible, voidInvoice } from '../billing/invoices';
import { DAY } from '../billing/lines';
import { invoicePaymentIntent } from '../billing/payment-intents';
import { previewInvoice } from '../billing/preview';
import type { ItemChange } from '../billing/prorations';
import { RENEWAL_DRAFT_SECONDS, type NewItem } from '../billing/subscriptions';
import { invalidRequest, resourceMissing } from '../http/errors';
import { matchesCreated, newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { applyMetadata, expandPaths, objectArray, optBool, optEnum, optInt, optNonNegativeInt, optNullableString, optObject, optString, refuseUnsupported, reqString } from '../params';
import type { Rec } from '../store';
import type { JsonObject, Params } from '../types';
import { liveCustomer, requireAttached } from './shared';
import { parseItemChanges } from './subscriptions';

function requireInvoice(op: Op, id: string): Rec {
  return op.app.store.require('invoice', id, 'invoice');
}

/**
 * `invoices.pay`: finalizes a draft, then charges the given or default PaymentMethod. Paying a
 * paid or void invoice is refused like Stripe does; a decline answers 402 and counts an attempt.
 */
function pay(op: Op, inv: Rec, params: Params): void {
  const { app } = op;
  const status = String(inv.status);
  if (status === 'paid') throw invalidRequest('Invoice is already paid');
  if (status === 'void') throw invalidRequest('This invoice is void and can no longer be paid.');
  const at = app.nowForCustomer(String(inv.customer));
  if (status === 'draft') finalizeInvoice(op, inv, at);
  if (inv.status === 'paid') return;
  if (optBool(params, 'paid_out_of_band')) {
    inv.amount_paid = Number(inv.amount_due);
    inv.amount_remaining = 0;
    inv.status = 'paid';
    inv.next_payment_attempt = null;
    (inv.status_transitions as JsonObject).paid_at = at;
    app.emit(op, 'invoice.paid', app.render('invoice', inv));
    return;
  }
  const pmId = optString(params, 'payment_method');
  const paymentMethod = pmId ? requireAttached(app, String(inv.customer), pmId, 'payment_method') : undefined;
  const result = attemptPayment(op, inv, at, { automatic: false, paymentMethod });
  if (!result.ok) throw result.error;
}

function previewParams(op: Op, params: Params): JsonObject {
  const { app } = op;
  const subId = optString(params, 'subscription');
  const sub = subId ? app.store.require('subscription', subId, 'subscription') : null;
  const customerId = optString(params, 'customer') ?? (sub ? String(sub.customer) : undefined);
  if (!customerId) throw invalidRequest('You must specify either a customer or a subscription to preview an invoice.', { param: 'customer' });
  const customer = liveCustomer(app, customerId);
  if (sub && sub.customer !== customer.id) throw invalidRequest(`The subscription ${String(sub.id)} does not belong to customer ${customerId}.`, { param: 'subscription' });
  const details = optObject(params, 'subscription_details') ?? {};
  const prorationBehavior = optEnum(details, 'proration_behavior', ['create_prorations', 'always_invoice', 'none'] as const, 'subscription_details[') ?? 'create_prorations';
  const prorationDate = optInt(details, 'proration_date') ?? app.nowForCustomer(customerId);
  let target = sub;
  if (!target && objectArray(details, 'items').length === 0) {
    // Without a subscription, the customer's one billing subscription is previewed.
    const live = app.store.all('subscription').filter((s) => s.customer === customerId && ['active', 'past_due', 'trialing', 'unpaid'].includes(String(s.status)));
    target = live[live.length - 1] ?? null;
    if (!target) throw invalidRequest(`No upcoming invoices for customer: ${customerId}`, { code: 'invoice_upcoming_none', status: 404 });
  }
  let changes: ItemChange[] = [];
  let newItems: NewItem[] = [];
  if (target) {
    changes = parseItemChanges(app, target, details);
  } else {
    newItems = objectArray(details, 'items').map((entry, i) => {
      const priceId = optString(entry, 'price');
      if (!priceId) throw invalidRequest(`Missing required param: subscription_details[items][${i}][price].`, { code: 'parameter_missing', param: `subscription_details[items][${i}][price]` });
      return { price: app.store.require('price', priceId, `subscription_details[items][${i}][price]`), quantity: optInt(entry, 'quantity') ?? 1, metadata: {} };
    });
  }
  return previewInvoice(app, customer, target, { changes, newItems, prorationBehavior, prorationDate });
}

/** The stand-in account's default currency (its `account_country` is GB): for invoices of customers without one. */
const ACCOUNT_CURRENCY = 'gbp';

/** Declared by the SDK's InvoiceCreateParams but not implemented here. */
const UNSUPPORTED_CREATE = [
  'account_tax_ids', 'application_fee_amount', 'automatic_tax', 'automatically_finalizes_at', 'custom_fields', 'customer_account', 'default_source',
  'default_tax_rates', 'discounts', 'effective_at', 'from_invoice', 'issuer', 'number', 'on_behalf_of', 'payment_settings', 'rendering',
  'shipping_cost', 'shipping_details', 'statement_descriptor', 'transfer_data',
];

/**
 * `POST /v1/invoices`: a draft for a customer, with no subscription or for one of theirs. Pending
 * invoice items come in only with `pending_invoice_items_behavior=include` (the default is
 * `exclude`): the customer's items tied to no subscription, or with `subscription` that
 * subscription's. `auto_advance` (default false) finalizes it an hour later and, when collected
 * automatically, charges it, as Stripe does; otherwise `finalize` and `pay` move it on.
 */
function createManualInvoice(op: Op, params: Params): JsonObject {
  const { app } = op;
  refuseUnsupported(params, UNSUPPORTED_CREATE);
  const customer = liveCustomer(app, reqString(params, 'customer'));
  const customerId = String(customer.id);
  const at = app.nowForCustomer(customerId);
  const subId = optString(params, 'subscription');
  const sub = subId ? app.store.require('subscription', subId, 'subscription') : null;
  if (sub && sub.customer !== customerId) throw invalidRequest(`The subscription ${String(sub.id)} does not belong to customer ${customerId}.`, { param: 'subscription' });

  const collectionMethod = optEnum(params, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically';
  const daysUntilDue = optNonNegativeInt(params, 'days_until_due');
  const dueDateParam = optInt(params, 'due_date');
  let dueDate: number | null = null;
  if (collectionMethod === 'send_invoice') {
    if (daysUntilDue !== undefined && dueDateParam !== undefined) throw invalidRequest('You may only specify one of these parameters: days_until_due, due_date.', { param: 'due_date' });
    if (daysUntilDue === undefined && dueDateParam === undefined) {
      throw invalidRequest('Invoices with `collection_method=send_invoice` need either `days_until_due` or `due_date`.', { param: 'days_until_due' });
    }
    if (dueDateParam !== undefined && dueDateParam < at) throw invalidRequest('The `due_date` must be in the future.', { param: 'due_date' });
    dueDate = dueDateParam ?? at + (daysUntilDue ?? 0) * DAY;
  } else {
    if (daysUntilDue !== undefined) throw invalidRequest('`days_until_due` can only be set when `collection_method=send_invoice`.', { param: 'days_until_due' });
    if (dueDateParam !== undefined) throw invalidRequest('`due_date` can only be set when `collection_method=send_invoice`.', { param: 'due_date' });
  }

  const pmId = optString(params, 'default_payment_method');
  if (pmId) requireAttached(app, customerId, pmId, 'default_payment_method');
  const behavior = optEnum(params, 'pending_invoice_items_behavior', ['exclude', 'include'] as const) ?? 'exclude';
  const currencyParam = optString(params, 'currency')?.toLowerCase();
  const candidates = app.store
    .all('invoiceitem')
    .filter((ii) => ii.customer === customerId && ii.invoice === null && (sub ? ii.__subscription === sub.id : !ii.__subscription));
  const currency = currencyParam ?? (sub ? String(sub.currency) : undefined) ?? (customer.currency ? String(customer.currency) : undefined) ?? (candidates[0] ? String(candidates[0].currency) : ACCOUNT_CURRENCY);
  const absorb = behavior === 'include' ? candidates.filter((ii) => ii.currency === currency) : [];
  const autoAdvance = optBool(params, 'auto_advance') ?? false;

  return op.app.render(
    'invoice',
    createInvoice(op, {
      customer,
      subscription: sub,
      reason: 'manual',
      at,
      periodStart: at,
      periodEnd: at,
      lines: [],
      absorb,
      currency,
      fields: {
        auto_advance: autoAdvance,
        automatically_finalizes_at: autoAdvance ? at + RENEWAL_DRAFT_SECONDS : null,
        collection_method: collectionMethod,
        default_payment_method: pmId ?? null,
        description: optString(params, 'description') ?? null,
        due_date: dueDate,
        footer: optString(params, 'footer') ?? null,
        metadata: applyMetadata({}, params),
      },
    }),
  );
}

export const invoiceRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/invoices',
    params: [
      'customer', 'auto_advance', 'collection_method', 'currency', 'days_until_due', 'default_payment_method', 'description', 'due_date', 'footer',
      'metadata', 'pending_invoice_items_behavior', 'subscription', ...UNSUPPORTED_CREATE,
    ],
    handler: ({ op, params }) => createManualInvoice(op, params),
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/create_preview',
    params: ['customer', 'subscription', 'subscription_details', 'preview_mode', 'automatic_tax', 'currency'],
    handler: ({ op, params }) => previewParams(op, params),
  },
  {
    method: 'GET',
    pattern: '/v1/invoices/:id',
    params: [],
    handler: ({ op, path, params }) => {
      const inv = requireInvoice(op, path.id as string);
      const out = op.app.render('invoice', inv);
      // Includable: the client secret of the invoice's PaymentIntent, only when asked for.
      if (expandPaths(params).includes('confirmation_secret')) {
        const pi = inv.status === 'open' ? invoicePaymentIntent(op.app, inv) : inv.__payment_intent ? op.app.store.get('payment_intent', String(inv.__payment_intent)) : undefined;
        out.confirmation_secret = pi ? { client_secret: String(pi.client_secret), type: 'payment_intent' } : null;
      }
      return out;
    },
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/:id',
    params: ['metadata', 'description', 'footer', 'auto_advance', 'default_payment_method'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const inv = requireInvoice(op, path.id as string);
      const done = app.track('invoice', inv);
      inv.metadata = applyMetadata((inv.metadata ?? {}) as JsonObject, params);
      const description = optNullableString(params, 'description');
      if (description !== undefined) inv.description = description;
      const footer = optNullableString(params, 'footer');
      if (footer !== undefined) inv.footer = footer;
      const autoAdvance = optBool(params, 'auto_advance');
      if (autoAdvance !== undefined) inv.auto_advance = autoAdvance;
      const pm = optNullableString(params, 'default_payment_method');
      if (pm) requireAttached(app, String(inv.customer), pm, 'default_payment_method');
      if (pm !== undefined) inv.default_payment_method = pm;
      done(op, 'invoice.updated');
      return app.render('invoice', inv);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/:id/pay',
    params: ['payment_method', 'paid_out_of_band', 'off_session', 'forgive', 'mandate', 'source'],
    handler: ({ op, path, params }) => {
      const inv = requireInvoice(op, path.id as string);
      pay(op, inv, params);
      return op.app.render('invoice', inv);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/:id/finalize',
    params: ['auto_advance'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const inv = requireInvoice(op, path.id as string);
      if (inv.status !== 'draft') throw invalidRequest('This invoice is already finalized, you can\'t re-finalize a non-draft invoice.', { code: 'invoice_not_editable' });
      const autoAdvance = optBool(params, 'auto_advance');
      if (autoAdvance !== undefined) inv.auto_advance = autoAdvance;
      finalizeInvoice(op, inv, app.nowForCustomer(String(inv.customer)));
      return app.render('invoice', inv);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/:id/void',
    params: [],
    handler: ({ op, path }) => {
      const { app } = op;
      const inv = requireInvoice(op, path.id as string);
      if (inv.status !== 'open' && inv.status !== 'uncollectible') {
        throw invalidRequest(`You can only void an open or uncollectible invoice; this one is ${String(inv.status)}.`);
      }
      voidInvoice(op, inv, app.nowForCustomer(String(inv.customer)));
      return app.render('invoice', inv);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/invoices/:id/mark_uncollectible',
    params: [],
    handler: ({ op, path }) => {
      const { app } = op;
      const inv = requireInvoice(op, path.id as string);
      if (inv.status !== 'open') throw invalidRequest(`You can only mark an open invoice as uncollectible; this one is ${String(inv.status)}.`);
      markUncollectible(op, inv, app.nowForCustomer(String(inv.customer)));
      return app.render('invoice', inv);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/invoices/:id/lines',
    params: [...LIST_PARAMS],
    handler: ({ op, path, params }) => {
      const inv = requireInvoice(op, path.id as string);
      const lines = (inv.__lines ?? []) as JsonObject[];
      const limit = optInt(params, 'limit') ?? 10;
      const after = optString(params, 'starting_after');
      const start = after ? lines.findIndex((l) => l.id === after) + 1 : 0;
      if (after && start === 0) throw resourceMissing('line_item', after, 'starting_after');
      const page = lines.slice(start, start + limit);
      return { object: 'list', data: structuredClone(page), has_more: start + limit < lines.length, url: `/v1/invoices/${String(inv.id)}/lines` };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/invoices',
    params: [...LIST_PARAMS, 'customer', 'subscription', 'status', 'created', 'collection_method', 'due_date'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const subscription = optString(params, 'subscription');
      const status = optEnum(params, 'status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
      const recs = app.store
        .all('invoice')
        .filter(
          (i) =>
            (customer === undefined || i.customer === customer) &&
            (subscription === undefined || i.__subscription === subscription) &&
            (status === undefined || i.status === status) &&
            matchesCreated(i, params),
        );
      return paginate(app, 'invoice', newestFirst(recs), params, '/v1/invoices');
    },
  },
];
