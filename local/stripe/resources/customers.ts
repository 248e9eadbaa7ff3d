import type { Op } from '../app';
import { checkAttachable } from '../billing/cards';
import { cancelSubscription } from '../billing/subscriptions';
import { invalidRequest, resourceMissing } from '../http/errors';
import { matchesCreated, newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { customerTemplate, deletedObject } from '../objects/templates';
import { applyMetadata, optInt, optNullableString, optObject, optString, optStringArray, reqString } from '../params';
import type { Rec } from '../store';
import { createTestClock } from './test-clocks';
import { randomToken } from '../store';
import type { JsonObject, Params } from '../types';
import { attachPaymentMethod, liveCustomer, paymentMethodFromParam, requireAttached } from './shared';

const WRITABLE = ['address', 'balance', 'business_name', 'description', 'email', 'individual_name', 'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'phone', 'preferred_locales', 'shipping', 'tax_exempt', 'validate'] as const;

function addressParam(params: Params, name: string): JsonObject | null | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  const o = optObject(params, name) ?? {};
  const field = (k: string) => optNullableString(o, k) ?? null;
  return { city: field('city'), country: field('country'), line1: field('line1'), line2: field('line2'), postal_code: field('postal_code'), state: field('state') };
}

/** Fields shared by create and update (validated before anything is changed). */
function applyFields(rec: Rec, params: Params): void {
  const prefix = optString(params, 'invoice_prefix');
  if (prefix && !/^[A-Z0-9]{3,12}$/.test(prefix)) throw invalidRequest('Invoice prefixes must be 3-12 uppercase letters or numbers.', { param: 'invoice_prefix' });
  const balance = optInt(params, 'balance');
  const sequence = optInt(params, 'next_invoice_sequence');
  const metadata = applyMetadata((rec.metadata ?? {}) as JsonObject, params);
  for (const key of ['email', 'name', 'description', 'phone', 'business_name', 'individual_name'] as const) {
    const v = optNullableString(params, key);
    if (v !== undefined) rec[key] = v;
  }
  const address = addressParam(params, 'address');
  if (address !== undefined) rec.address = address;
  if (balance !== undefined) rec.balance = balance;
  const locales = optStringArray(params, 'preferred_locales');
  if (locales) rec.preferred_locales = locales;
  if (prefix) rec.invoice_prefix = prefix;
  if (sequence !== undefined) rec.next_invoice_sequence = sequence;
  const taxExempt = optString(params, 'tax_exempt');
  if (taxExempt) rec.tax_exempt = taxExempt;
  const shipping = optObject(params, 'shipping');
  if (shipping) rec.shipping = { address: addressParam(shipping, 'address') ?? null, name: optString(shipping, 'name') ?? null, phone: optString(shipping, 'phone') ?? null };
  rec.metadata = metadata;
}

function createCustomer(op: Op, params: Params): Rec {
  const { app } = op;
  let clockId = optString(params, 'test_clock');
  if (clockId) app.store.require('test_helpers.test_clock', clockId, 'test_clock');
  // The twin's demo mode: each customer lives on a clock of its own, so its time can be advanced.
  if (!clockId && app.billing.customerTestClocks) {
    clockId = String(createTestClock(op, app.realNow(), `Customer ${optString(params, 'email') ?? ''}`.trim()).id);
  }
  const at = app.nowForClock(clockId);
  const rec: Rec = customerTemplate({
    id: app.store.newId('customer'),
    created: at,
    invoice_prefix: randomToken(8).toUpperCase(),
    test_clock: clockId ?? null,
  });
  applyFields(rec, params);

  const pmParam = optString(params, 'payment_method');
  const pm = pmParam ? paymentMethodFromParam(app, pmParam, at) : undefined;
  const settings = optObject(params, 'invoice_settings');
  const defaultPm = settings ? optNullableString(settings, 'default_payment_method') : undefined;
  if (defaultPm && defaultPm !== pmParam && defaultPm !== pm?.id) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${defaultPm}. The payment method must be attached to the customer.`,
      { param: 'invoice_settings[default_payment_method]' },
    );
  }
  if (pm) {
    // Refuse before creating anything, as Stripe does when the card cannot be attached.
    if (pm.customer) throw invalidRequest('The payment method you provided has already been attached to a customer.', { param: 'payment_method' });
    checkAttachable(pm);
  }
  if (defaultPm && pm) (rec.invoice_settings as JsonObject).default_payment_method = String(pm.id);
  if (settings) applyInvoiceSettingsText(rec, settings);
  app.store.insert('customer', rec);
  app.emit(op, 'customer.created', app.render('customer', rec));
  if (pm) attachPaymentMethod(op, pm, rec);
  return rec;
}

function applyInvoiceSettingsText(rec: Rec, settings: Params): void {
  const target = rec.invoice_settings as JsonObject;
  const footer = optNullableString(settings, 'footer');
  if (footer !== undefined) target.footer = footer;
}

function updateCustomer(op: Op, id: string, params: Params): Rec {
  const { app } = op;
  const rec = liveCustomer(app, id, 'id');
  const settings = optObject(params, 'invoice_settings');
  const defaultPm = settings ? optNullableString(settings, 'default_payment_method') : undefined;
  if (defaultPm) requireAttached(app, id, defaultPm, 'invoice_settings[default_payment_method]');
  const done = app.track('customer', rec);
  applyFields(rec, params);
  if (settings) {
    if (defaultPm !== undefined) (rec.invoice_settings as JsonObject).default_payment_method = defaultPm;
    applyInvoiceSettingsText(rec, settings);
  }
  done(op, 'customer.updated');
  return rec;
}

/** Deleting a customer cancels its subscriptions immediately, as Stripe does. */
function deleteCustomer(op: Op, id: string): JsonObject {
  const { app } = op;
  const rec = liveCustomer(app, id, 'id');
  const at = app.nowForCustomer(id);
  for (const sub of app.store.all('subscription')) {
    if (sub.customer === id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired') {
      cancelSubscription(op, sub, at, { reason: 'cancellation_requested' });
    }
  }
  const snapshot = app.render('customer', rec);
  rec.__deleted = true;
  app.emit(op, 'customer.deleted', snapshot);
  return deletedObject('customer', id);
}

/** Minimal Stripe search query language: `field:'value'` clauses joined by AND or OR. */
function searchMatcher(query: string): (rec: Rec) => boolean {
  const clause = /\s*(metadata\[['"]([^'"]+)['"]\]|[a-z_]+)\s*(:|~)\s*['"]([^'"]*)['"]\s*/y;
  const tests: ((rec: Rec) => boolean)[] = [];
  let joiner: 'AND' | 'OR' = 'AND';
  let pos = 0;
  while (pos < query.length) {
    clause.lastIndex = pos;
    const m = clause.exec(query);
    if (!m) throw invalidRequest(`Invalid search query: ${query}`, { param: 'query' });
    const [, field, metaKey, op, value] = m;
    tests.push((rec) => {
      const actual = metaKey !== undefined ? (rec.metadata as JsonObject)[metaKey] : rec[field as string];
      if (typeof actual !== 'string') return false;
      return op === '~' ? actual.toLowerCase().includes((value ?? '').toLowerCase()) : actual === value;
    });
    pos = clause.lastIndex;
    const rest = /^(AND|OR)\s+/.exec(query.slice(pos));
    if (rest) {
      joiner = rest[1] as 'AND' | 'OR';
      pos += rest[0].length;
    }
  }
  return joiner === 'AND' ? (rec) => tests.every((t) => t(rec)) : (rec) => tests.some((t) => t(rec));
}

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/customers',
    params: [...WRITABLE, 'payment_method', 'test_clock', 'tax', 'tax_id_data', 'source'],
    handler: ({ op, params }) => op.app.render('customer', createCustomer(op, params)),
  },
  {
    method: 'GET',
    pattern: '/v1/customers/search',
    params: ['query', 'limit', 'page'],
    handler: ({ app, params }) => {
      const matches = searchMatcher(reqString(params, 'query'));
      const found = newestFirst(app.store.all('customer').filter((c) => !c.__deleted && matches(c)));
      const limit = optInt(params, 'limit') ?? 10;
      return { object: 'search_result', data: found.slice(0, limit).map((c) => app.render('customer', c)), has_more: found.length > limit, next_page: null, total_count: found.length, url: '/v1/customers/search' };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('customer', path.id as string),
  },
  {
    method: 'POST',
    pattern: '/v1/customers/:id',
    params: [...WRITABLE, 'source', 'tax'],
    handler: ({ op, path, params }) => op.app.render('customer', updateCustomer(op, path.id as string, params)),
  },
  {
    method: 'DELETE',
    pattern: '/v1/customers/:id',
    params: [],
    handler: ({ op, path }) => deleteCustomer(op, path.id as string),
  },
  {
    method: 'GET',
    pattern: '/v1/customers',
    params: [...LIST_PARAMS, 'email', 'created', 'test_clock'],
    handler: ({ app, params }) => {
      const email = optString(params, 'email');
      const clock = optString(params, 'test_clock');
      const recs = app.store.all('customer').filter(
        (c) => !c.__deleted && (email === undefined || c.email === email) && (clock === undefined || c.test_clock === clock) && matchesCreated(c, params),
      );
      return paginate(app, 'customer', newestFirst(recs), params, '/v1/customers');
    },
  },
  {
    method: 'GET',
    pattern: '/v1/customers/:id/payment_methods',
    params: [...LIST_PARAMS, 'type', 'allow_redisplay'],
    handler: ({ app, path, params }) => {
      const id = path.id as string;
      if (!app.store.get('customer', id)) throw resourceMissing('customer', id);
      const type = optString(params, 'type');
      const recs = app.store.all('payment_method').filter((pm) => pm.customer === id && (type === undefined || pm.type === type));
      return paginate(app, 'payment_method', newestFirst(recs), params, `/v1/customers/${id}/payment_methods`);
    },
  },
];
