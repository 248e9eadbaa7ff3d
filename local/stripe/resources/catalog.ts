import type { Op } from '../app';
import { INTERVALS } from '../billing/periods';
import { invalidRequest, missingParam, StripeApiError } from '../http/errors';
import { matchesCreated, newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { deletedObject, priceTemplate, productTemplate } from '../objects/templates';
import { applyMetadata, optBool, optEnum, optInt, optNullableString, optObject, optString, optStringArray, reqString } from '../params';
import type { Rec } from '../store';
import type { JsonObject, Params } from '../types';

const PRODUCT_FIELDS = ['name', 'active', 'description', 'metadata', 'images', 'statement_descriptor', 'tax_code', 'unit_label', 'url', 'shippable', 'marketing_features'] as const;

function applyProductFields(rec: Rec, params: Params): void {
  const name = optString(params, 'name');
  if (name !== undefined) {
    if (name === '') throw invalidRequest('You must provide a non-empty value for name.', { param: 'name', code: 'parameter_invalid_string_empty' });
    rec.name = name;
  }
  const active = optBool(params, 'active');
  if (active !== undefined) rec.active = active;
  for (const k of ['description', 'statement_descriptor', 'tax_code', 'unit_label', 'url'] as const) {
    const v = optNullableString(params, k);
    if (v !== undefined) rec[k] = v;
  }
  const images = optStringArray(params, 'images');
  if (images) rec.images = images;
  const shippable = optBool(params, 'shippable');
  if (shippable !== undefined) rec.shippable = shippable;
  rec.metadata = applyMetadata((rec.metadata ?? {}) as JsonObject, params);
}

function createProduct(op: Op, params: Params, prefix = ''): Rec {
  const { app } = op;
  if (!optString(params, 'name')) throw missingParam(`${prefix}name`);
  const at = app.realNow();
  const id = optString(params, 'id') || app.store.newId('product');
  if (app.store.get('product', id)) throw invalidRequest('Product already exists.', { code: 'resource_already_exists', param: 'id' });
  const rec: Rec = productTemplate({ id, created: at, updated: at });
  applyProductFields(rec, params);
  app.store.insert('product', rec);
  app.emit(op, 'product.created', app.render('product', rec));
  return rec;
}

function lookupKeyOwner(op: Op, key: string): Rec | undefined {
  return op.app.store.all('price').find((p) => p.lookup_key === key);
}

/** A lookup key names one price; `transfer_lookup_key` moves it from its current owner. */
function claimLookupKey(op: Op, key: string, transfer: boolean, except?: string): void {
  const owner = lookupKeyOwner(op, key);
  if (!owner || owner.id === except) return;
  if (!transfer) {
    throw invalidRequest(`A price (\`${String(owner.id)}\`) already uses that lookup key.`, { param: 'lookup_key' });
  }
  const done = op.app.track('price', owner);
  owner.lookup_key = null;
  done(op, 'price.updated');
}

function createPrice(op: Op, params: Params): Rec {
  const { app } = op;
  const currency = reqString(params, 'currency').toLowerCase();
  let productId = optString(params, 'product');
  const productData = optObject(params, 'product_data');
  if (!productId && !productData) throw missingParam('product');
  if (productId) app.store.require('product', productId, 'product');
  const unitAmount = optInt(params, 'unit_amount');
  const decimal = optString(params, 'unit_amount_decimal');
  if (unitAmount === undefined && decimal === undefined && optString(params, 'custom_unit_amount') === undefined) throw missingParam('unit_amount');
  const amount = unitAmount ?? Math.round(Number(decimal));
  if (!Number.isFinite(amount) || amount < 0) throw invalidRequest('Invalid non-negative integer', { param: 'unit_amount' });
  const recurringParam = optObject(params, 'recurring');
  let recurring: JsonObject | null = null;
  if (recurringParam) {
    const interval = optEnum(recurringParam, 'interval', INTERVALS, 'recurring[') ;
    if (!interval) throw missingParam('recurring[interval]');
    const count = optInt(recurringParam, 'interval_count', 'recurring[') ?? 1;
    if (count < 1) throw invalidRequest('Invalid recurring[interval_count]: must be at least 1', { param: 'recurring[interval_count]' });
    recurring = { interval, interval_count: count, meter: null, trial_period_days: null, usage_type: 'licensed' };
  }
  const lookupKey = optNullableString(params, 'lookup_key') ?? null;
  if (lookupKey) claimLookupKey(op, lookupKey, optBool(params, 'transfer_lookup_key') ?? false);
  if (!productId && productData) productId = String(createProduct(op, productData, 'product_data[').id);
  const rec: Rec = priceTemplate({
    id: app.store.newId('price'),
    active: optBool(params, 'active') ?? true,
    created: app.realNow(),
    currency,
    lookup_key: lookupKey,
    metadata: applyMetadata({}, params),
    nickname: optNullableString(params, 'nickname') ?? null,
    product: productId as string,
    recurring,
    tax_behavior: optEnum(params, 'tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const) ?? 'unspecified',
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: amount,
    unit_amount_decimal: decimal ?? String(amount),
  });
  app.store.insert('price', rec);
  app.emit(op, 'price.created', app.render('price', rec));
  return rec;
}

function bySearchableFields(params: Params): (rec: Rec) => boolean {
  const active = optBool(params, 'active');
  return (rec) => (active === undefined || rec.active === active) && matchesCreated(rec, params);
}

export const catalogRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/products',
    params: ['id', 'default_price_data', 'tax_code', 'type', 'package_dimensions', ...PRODUCT_FIELDS],
    handler: ({ op, params }) => {
      if (params.default_price_data !== undefined) throw invalidRequest('default_price_data is not supported by the local Stripe stand-in; create the price separately.', { param: 'default_price_data' });
      return op.app.render('product', createProduct(op, params));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/products/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('product', path.id as string),
  },
  {
    method: 'POST',
    pattern: '/v1/products/:id',
    params: ['default_price', 'package_dimensions', ...PRODUCT_FIELDS],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const rec = app.store.require('product', path.id as string);
      const done = app.track('product', rec);
      applyProductFields(rec, params);
      const defaultPrice = optNullableString(params, 'default_price');
      if (defaultPrice) app.store.require('price', defaultPrice, 'default_price');
      if (defaultPrice !== undefined) rec.default_price = defaultPrice;
      rec.updated = app.realNow();
      done(op, 'product.updated');
      return app.render('product', rec);
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/products/:id',
    params: [],
    handler: ({ op, path }) => {
      const { app } = op;
      const rec = app.store.require('product', path.id as string);
      if (app.store.all('price').some((p) => p.product === rec.id)) {
        throw new StripeApiError('invalid_request_error', 'This product cannot be deleted because it has one or more user-created prices.');
      }
      const snapshot = app.render('product', rec);
      app.store.delete('product', String(rec.id));
      app.emit(op, 'product.deleted', snapshot);
      return deletedObject('product', String(rec.id));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/products',
    params: [...LIST_PARAMS, 'active', 'ids', 'created', 'shippable', 'url'],
    handler: ({ app, params }) => {
      const ids = optStringArray(params, 'ids');
      const keep = bySearchableFields(params);
      const recs = app.store.all('product').filter((p) => keep(p) && (!ids || ids.includes(String(p.id))));
      return paginate(app, 'product', newestFirst(recs), params, '/v1/products');
    },
  },
  {
    method: 'POST',
    pattern: '/v1/prices',
    params: ['currency', 'unit_amount', 'unit_amount_decimal', 'product', 'product_data', 'recurring', 'lookup_key', 'transfer_lookup_key', 'nickname', 'metadata', 'active', 'tax_behavior', 'billing_scheme', 'custom_unit_amount'],
    handler: ({ op, params }) => {
      const scheme = optString(params, 'billing_scheme');
      if (scheme && scheme !== 'per_unit') throw invalidRequest('Only billing_scheme=per_unit is supported by the local Stripe stand-in.', { param: 'billing_scheme' });
      if (params.custom_unit_amount !== undefined) throw invalidRequest('custom_unit_amount is not supported by the local Stripe stand-in.', { param: 'custom_unit_amount' });
      return op.app.render('price', createPrice(op, params));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/prices/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('price', path.id as string),
  },
  {
    method: 'POST',
    pattern: '/v1/prices/:id',
    params: ['active', 'metadata', 'nickname', 'lookup_key', 'transfer_lookup_key', 'tax_behavior'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const rec = app.store.require('price', path.id as string);
      const lookupKey = optNullableString(params, 'lookup_key');
      if (lookupKey) claimLookupKey(op, lookupKey, optBool(params, 'transfer_lookup_key') ?? false, String(rec.id));
      const done = app.track('price', rec);
      if (lookupKey !== undefined) rec.lookup_key = lookupKey;
      const active = optBool(params, 'active');
      if (active !== undefined) rec.active = active;
      const nickname = optNullableString(params, 'nickname');
      if (nickname !== undefined) rec.nickname = nickname;
      const tax = optEnum(params, 'tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const);
      if (tax) rec.tax_behavior = tax;
      rec.metadata = applyMetadata(rec.metadata as JsonObject, params);
      done(op, 'price.updated');
      return app.render('price', rec);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/prices',
    params: [...LIST_PARAMS, 'active', 'product', 'currency', 'type', 'lookup_keys', 'recurring', 'created'],
    handler: ({ app, params }) => {
      const keep = bySearchableFields(params);
      const product = optString(params, 'product');
      const currency = optString(params, 'currency');
      const type = optString(params, 'type');
      const keys = optStringArray(params, 'lookup_keys');
      const recurring = optObject(params, 'recurring');
      const interval = recurring ? optString(recurring, 'interval') : undefined;
      const recs = app.store.all('price').filter(
        (p) =>
          keep(p) &&
          (product === undefined || p.product === product) &&
          (currency === undefined || p.currency === currency.toLowerCase()) &&
          (type === undefined || p.type === type) &&
          (!keys || (p.lookup_key !== null && keys.includes(String(p.lookup_key)))) &&
          (interval === undefined || (p.recurring as JsonObject | null)?.interval === interval),
      );
      return paginate(app, 'price', newestFirst(recs), params, '/v1/prices');
    },
  },
];
