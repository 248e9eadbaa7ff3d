import type { App, Op } from '../app';
import type { PaymentBehavior } from '../billing/lines';
import { periodOf } from '../billing/lines';
import type { ItemChange } from '../billing/prorations';
import type { ChangeOptions, NewItem } from '../billing/subscriptions';
import { applyItemChanges, cancelSubscription, createSubscription, invoicePendingNow, precheckFirstPayment, validateItemChanges } from '../billing/subscriptions';
import { invalidRequest, missingParam, resourceMissing } from '../http/errors';
import { matchesCreated, newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { subscriptionItems } from '../objects/render';
import { deletedObject } from '../objects/templates';
import {
  applyMetadata,
  objectArray,
  optBool,
  optEnum,
  optInt,
  optNonNegativeInt,
  optNullableString,
  optObject,
  optString,
  reqString,
} from '../params';
import type { Rec } from '../store';
import type { JsonObject, Params } from '../types';
import { liveCustomer, requireAttached } from './shared';

const PAYMENT_BEHAVIORS = ['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete'] as const;
const PRORATION_BEHAVIORS = ['create_prorations', 'always_invoice', 'none'] as const;

/** A price usable on a subscription: exists, active, recurring. */
function subscribablePrice(app: App, id: string, param: string): Rec {
  const price = app.store.require('price', id, param);
  if (!price.active) throw invalidRequest('The price specified is inactive. This field only accepts active prices.', { param });
  if (price.type !== 'recurring') {
    throw invalidRequest('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', { param });
  }
  return price;
}

function quantityOf(params: Params, prefix: string): number | undefined {
  return optNonNegativeInt(params, 'quantity', prefix);
}

function paymentBehaviorOf(params: Params): PaymentBehavior {
  const behavior = optEnum(params, 'payment_behavior', PAYMENT_BEHAVIORS) ?? 'allow_incomplete';
  if (behavior === 'pending_if_incomplete') {
    throw invalidRequest('payment_behavior=pending_if_incomplete (pending updates) is not supported by the local Stripe stand-in.', { param: 'payment_behavior' });
  }
  return behavior;
}

function changeOptions(app: App, sub: Rec, params: Params): ChangeOptions {
  const prorationDate = optInt(params, 'proration_date') ?? app.nowForCustomer(String(sub.customer));
  return {
    prorationBehavior: optEnum(params, 'proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations',
    prorationDate,
    paymentBehavior: paymentBehaviorOf(params),
  };
}

function assertNotCanceled(sub: Rec): void {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest(`A canceled subscription can only update its cancellation_details and metadata.`);
  }
}

/** Parses `items[n]` of a subscription update into changes on the subscription's items. */
export function parseItemChanges(app: App, sub: Rec, params: Params): ItemChange[] {
  const live = new Map(subscriptionItems(app.store, String(sub.id)).map((i) => [String(i.id), i]));
  return objectArray(params, 'items').map((entry, i): ItemChange => {
    const prefix = `items[${i}][`;
    const id = optString(entry, 'id');
    const priceId = optString(entry, 'price');
    if (entry.price_data !== undefined) throw invalidRequest('price_data is not supported by the local Stripe stand-in; create a price first.', { param: `items[${i}][price_data]` });
    if (id) {
      const item = live.get(id);
      if (!item) throw invalidRequest(`Subscription item ${id} does not belong to subscription ${String(sub.id)}.`, { param: `items[${i}][id]` });
      if (optBool(entry, 'deleted')) return { kind: 'delete', item };
      return {
        kind: 'update',
        item,
        price: priceId ? subscribablePrice(app, priceId, `items[${i}][price]`) : undefined,
        quantity: quantityOf(entry, prefix),
        metadata: entry.metadata !== undefined ? applyMetadata(item.metadata as JsonObject, entry) : undefined,
      };
    }
    if (!priceId) throw missingParam(`items[${i}][price]`);
    return { kind: 'add', price: subscribablePrice(app, priceId, `items[${i}][price]`), quantity: quantityOf(entry, prefix) ?? 1, metadata: applyMetadata({}, entry) };
  });
}

function create(op: Op, params: Params): Rec {
  const { app } = op;
  const customer = liveCustomer(app, reqString(params, 'customer'));
  const at = app.nowForCustomer(String(customer.id));
  const entries = objectArray(params, 'items');
  if (entries.length === 0) throw missingParam('items');
  if (entries.length > 20) throw invalidRequest('A subscription can have at most 20 items.', { param: 'items' });
  const items: NewItem[] = entries.map((entry, i) => {
    if (entry.price_data !== undefined) throw invalidRequest('price_data is not supported by the local Stripe stand-in; create a price first.', { param: `items[${i}][price_data]` });
    const priceId = optString(entry, 'price');
    if (!priceId) throw missingParam(`items[${i}][price]`);
    return { price: subscribablePrice(app, priceId, `items[${i}][price]`), quantity: quantityOf(entry, `items[${i}][`) ?? 1, metadata: applyMetadata({}, entry) };
  });
  const first = items[0] as NewItem;
  const seen = new Set<string>();
  for (const [i, it] of items.entries()) {
    if (seen.has(String(it.price.id))) throw invalidRequest(`Cannot add multiple subscription items with the same plan: ${String(it.price.id)}`, { param: `items[${i}][price]` });
    seen.add(String(it.price.id));
    const a = it.price.recurring as JsonObject;
    const b = first.price.recurring as JsonObject;
    if (it.price.currency !== first.price.currency || a.interval !== b.interval || a.interval_count !== b.interval_count) {
      throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', { param: 'items' });
    }
  }
  const collection = optString(params, 'collection_method');
  if (collection && collection !== 'charge_automatically') {
    throw invalidRequest('Only collection_method=charge_automatically is supported by the local Stripe stand-in.', { param: 'collection_method' });
  }
  const defaultPm = optNullableString(params, 'default_payment_method') ?? null;
  if (defaultPm) requireAttached(app, String(customer.id), defaultPm, 'default_payment_method');
  const anchor = optInt(params, 'billing_cycle_anchor') ?? null;
  const cancelAt = optInt(params, 'cancel_at');
  if (cancelAt !== undefined && cancelAt <= at) throw invalidRequest('cancel_at must be in the future.', { param: 'cancel_at' });
  if (anchor !== null && anchor < at) throw invalidRequest('billing_cycle_anchor cannot be in the past.', { param: 'billing_cycle_anchor' });
  const request = {
    customer,
    items,
    defaultPaymentMethod: defaultPm,
    paymentBehavior: paymentBehaviorOf(params),
    prorationBehavior: optEnum(params, 'proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations',
    metadata: applyMetadata({}, params),
    description: optNullableString(params, 'description') ?? null,
    billingCycleAnchor: anchor,
    cancelAtPeriodEnd: optBool(params, 'cancel_at_period_end') ?? false,
    cancelAt: optInt(params, 'cancel_at') ?? null,
    at,
  };
  if (request.paymentBehavior === 'error_if_incomplete') precheckFirstPayment(app, request);
  return createSubscription(op, request);
}

function update(op: Op, id: string, params: Params): Rec {
  const { app } = op;
  const sub = app.store.require('subscription', id);
  const at = app.nowForCustomer(String(sub.customer));
  const onlyBookkeeping = Object.keys(params).every((k) => ['metadata', 'cancellation_details', 'expand'].includes(k));
  if (!onlyBookkeeping) assertNotCanceled(sub);
  const opts = changeOptions(app, sub, params);
  const changes = parseItemChanges(app, sub, params);
  if (changes.length > 0) validateItemChanges(app, sub, changes, opts);
  const defaultPm = optNullableString(params, 'default_payment_method');
  if (defaultPm) requireAttached(app, String(sub.customer), defaultPm, 'default_payment_method');
  const cancelAt = params.cancel_at === undefined ? undefined : params.cancel_at === '' ? null : (optInt(params, 'cancel_at') ?? null);
  if (cancelAt && cancelAt < at) throw invalidRequest('cancel_at must be in the future.', { param: 'cancel_at' });

  // Everything is validated above: from here on the update cannot fail half-way.
  const done = app.track('subscription', sub);
  if (defaultPm !== undefined) sub.default_payment_method = defaultPm;
  const description = optNullableString(params, 'description');
  if (description !== undefined) sub.description = description;
  sub.metadata = applyMetadata(sub.metadata as JsonObject, params);
  const details = optObject(params, 'cancellation_details');
  if (details) {
    const target = sub.cancellation_details as JsonObject;
    const comment = optNullableString(details, 'comment');
    if (comment !== undefined) target.comment = comment;
    const feedback = optNullableString(details, 'feedback');
    if (feedback !== undefined) target.feedback = feedback;
  }
  const cancelAtPeriodEnd = optBool(params, 'cancel_at_period_end');
  if (cancelAtPeriodEnd !== undefined) {
    sub.cancel_at_period_end = cancelAtPeriodEnd;
    sub.cancel_at = cancelAtPeriodEnd ? periodOf(sub).end : null;
    sub.canceled_at = cancelAtPeriodEnd ? at : null;
  }
  if (cancelAt !== undefined) {
    sub.cancel_at = cancelAt;
    sub.cancel_at_period_end = cancelAt !== null && cancelAt === periodOf(sub).end;
    sub.canceled_at = cancelAt === null ? null : at;
  }
  if (changes.length > 0) applyItemChanges(op, sub, changes, at, opts);
  done(op, 'customer.subscription.updated');
  if (changes.length > 0 && opts.prorationBehavior === 'always_invoice') invoicePendingNow(op, sub, at, 'subscription_update');
  return sub;
}

function cancel(op: Op, id: string, params: Params): Rec {
  const { app } = op;
  const sub = app.store.get('subscription', id);
  // Stripe treats a canceled subscription as gone for this endpoint.
  if (!sub || sub.status === 'canceled' || sub.status === 'incomplete_expired') throw resourceMissing('subscription', id);
  const details = optObject(params, 'cancellation_details');
  cancelSubscription(op, sub, app.nowForCustomer(String(sub.customer)), {
    reason: 'cancellation_requested',
    comment: details ? optNullableString(details, 'comment') : undefined,
    feedback: details ? optNullableString(details, 'feedback') : undefined,
    prorate: optBool(params, 'prorate') ?? false,
    invoiceNow: optBool(params, 'invoice_now') ?? false,
  });
  return sub;
}

const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing', 'paused', 'all', 'ended'];

/** A single-item change through `/v1/subscription_items`, with the subscription-level effects. */
function changeThroughItem(op: Op, sub: Rec, change: ItemChange, params: Params): void {
  const { app } = op;
  assertNotCanceled(sub);
  const opts = changeOptions(app, sub, params);
  validateItemChanges(app, sub, [change], opts);
  const at = app.nowForCustomer(String(sub.customer));
  const done = app.track('subscription', sub);
  applyItemChanges(op, sub, [change], at, opts);
  done(op, 'customer.subscription.updated');
  if (opts.prorationBehavior === 'always_invoice') invoicePendingNow(op, sub, at, 'subscription_update');
}

function liveItem(app: App, id: string): Rec {
  const item = app.store.get('subscription_item', id);
  if (!item || item.__deleted) throw resourceMissing('subscription_item', id);
  return item;
}

const ITEM_CHANGE_PARAMS = ['proration_behavior', 'proration_date', 'payment_behavior', 'off_session'] as const;

export const subscriptionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/subscriptions',
    params: ['customer', 'items', 'default_payment_method', 'payment_behavior', 'proration_behavior', 'metadata', 'description', 'billing_cycle_anchor', 'cancel_at', 'cancel_at_period_end', 'collection_method', 'off_session', 'payment_settings', 'currency'],
    handler: ({ op, params }) => op.app.render('subscription', create(op, params)),
  },
  {
    method: 'GET',
    pattern: '/v1/subscriptions/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('subscription', path.id as string),
  },
  {
    method: 'POST',
    pattern: '/v1/subscriptions/:id',
    params: ['items', 'cancel_at_period_end', 'cancel_at', 'proration_behavior', 'proration_date', 'payment_behavior', 'metadata', 'default_payment_method', 'description', 'cancellation_details', 'off_session', 'payment_settings'],
    handler: ({ op, path, params }) => op.app.render('subscription', update(op, path.id as string, params)),
  },
  {
    method: 'DELETE',
    pattern: '/v1/subscriptions/:id',
    params: ['invoice_now', 'prorate', 'cancellation_details'],
    handler: ({ op, path, params }) => op.app.render('subscription', cancel(op, path.id as string, params)),
  },
  {
    method: 'GET',
    pattern: '/v1/subscriptions',
    params: [...LIST_PARAMS, 'customer', 'status', 'price', 'test_clock', 'created', 'collection_method'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const status = optEnum(params, 'status', SUBSCRIPTION_STATUSES);
      const price = optString(params, 'price');
      const clock = optString(params, 'test_clock');
      const recs = app.store.all('subscription').filter((s) => {
        if (customer !== undefined && s.customer !== customer) return false;
        if (clock !== undefined && s.test_clock !== clock) return false;
        if (status === undefined ? s.status === 'canceled' : status === 'ended' ? !['canceled', 'incomplete_expired'].includes(String(s.status)) : status !== 'all' && s.status !== status) return false;
        if (price !== undefined && !subscriptionItems(app.store, String(s.id)).some((i) => i.__price === price)) return false;
        return matchesCreated(s, params);
      });
      return paginate(app, 'subscription', newestFirst(recs), params, '/v1/subscriptions');
    },
  },
  {
    method: 'POST',
    pattern: '/v1/subscription_items',
    // No off_session on item creation in this API version (it is on updates only).
    params: ['subscription', 'price', 'quantity', 'metadata', ...ITEM_CHANGE_PARAMS.filter((p) => p !== 'off_session')],
    handler: ({ op, params }) => {
      const { app } = op;
      const sub = app.store.require('subscription', reqString(params, 'subscription'), 'subscription');
      const price = subscribablePrice(app, reqString(params, 'price'), 'price');
      const change: ItemChange = { kind: 'add', price, quantity: quantityOf(params, '') ?? 1, metadata: applyMetadata({}, params) };
      changeThroughItem(op, sub, change, params);
      const item = subscriptionItems(app.store, String(sub.id)).find((i) => i.__price === price.id);
      return app.render('subscription_item', item as Rec);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/subscription_items/:id',
    params: [],
    handler: ({ app, path }) => app.render('subscription_item', liveItem(app, path.id as string)),
  },
  {
    method: 'POST',
    pattern: '/v1/subscription_items/:id',
    params: ['price', 'quantity', 'metadata', ...ITEM_CHANGE_PARAMS],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const item = liveItem(app, path.id as string);
      const sub = app.store.require('subscription', String(item.subscription));
      const priceId = optString(params, 'price');
      const change: ItemChange = {
        kind: 'update',
        item,
        price: priceId ? subscribablePrice(app, priceId, 'price') : undefined,
        quantity: quantityOf(params, ''),
        metadata: params.metadata !== undefined ? applyMetadata(item.metadata as JsonObject, params) : undefined,
      };
      changeThroughItem(op, sub, change, params);
      return app.render('subscription_item', item);
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/subscription_items/:id',
    params: ['clear_usage', ...ITEM_CHANGE_PARAMS],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const item = liveItem(app, path.id as string);
      const sub = app.store.require('subscription', String(item.subscription));
      changeThroughItem(op, sub, { kind: 'delete', item }, params);
      return deletedObject('subscription_item', String(item.id));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/subscription_items',
    params: [...LIST_PARAMS, 'subscription'],
    handler: ({ app, params }) => {
      const subId = reqString(params, 'subscription');
      app.store.require('subscription', subId, 'subscription');
      // Stripe lists a subscription's items oldest first.
      const items = subscriptionItems(app.store, subId);
      return paginate(app, 'subscription_item', items, params, `/v1/subscription_items?subscription=${subId}`);
    },
  },
];

