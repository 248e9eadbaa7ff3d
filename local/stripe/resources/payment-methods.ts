import type { Op } from '../app';
import { isTestToken, materializeToken } from '../billing/cards';
import { invalidRequest, resourceMissing } from '../http/errors';
import { newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { applyMetadata, optObject, optString, reqString } from '../params';
import type { JsonObject } from '../types';
import { attachPaymentMethod, liveCustomer, paymentMethodFromParam } from './shared';

/** Card tokens (`tok_...`) accepted by `POST /v1/payment_methods` and the test PaymentMethod they stand for. */
const CARD_TOKENS: Record<string, string> = {
  tok_visa: 'pm_card_visa',
  tok_mastercard: 'pm_card_mastercard',
  tok_amex: 'pm_card_amex',
  tok_chargeCustomerFail: 'pm_card_chargeCustomerFail',
  tok_chargeDeclined: 'pm_card_chargeDeclined',
  tok_chargeDeclinedInsufficientFunds: 'pm_card_chargeDeclinedInsufficientFunds',
};

function detach(op: Op, id: string): JsonObject {
  const { app } = op;
  const pm = app.store.get('payment_method', id);
  if (!pm) throw resourceMissing('PaymentMethod', id, 'payment_method');
  const customerId = pm.customer;
  if (!customerId) {
    throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', { param: 'payment_method' });
  }
  pm.customer = null;
  app.emit(op, 'payment_method.detached', app.render('payment_method', pm), { customer: customerId });
  // A detached method cannot stay the customer's default.
  const customer = app.store.get('customer', String(customerId));
  const settings = customer?.invoice_settings as JsonObject | undefined;
  if (customer && settings?.default_payment_method === id) {
    const done = app.track('customer', customer);
    settings.default_payment_method = null;
    done(op, 'customer.updated');
  }
  return app.render('payment_method', pm);
}

export const paymentMethodRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/payment_methods',
    params: ['type', 'card', 'billing_details', 'metadata', 'customer', 'payment_method', 'allow_redisplay'],
    handler: ({ op, params }) => {
      const { app } = op;
      const type = reqString(params, 'type');
      if (type !== 'card') throw invalidRequest(`The local Stripe stand-in only supports type=card (got ${type}).`, { param: 'type' });
      const card = optObject(params, 'card');
      const token = card ? optString(card, 'token') : undefined;
      const testPm = token ? CARD_TOKENS[token] : undefined;
      if (!testPm) {
        throw invalidRequest('Provide card[token] with a test token such as tok_visa (raw card numbers are not accepted).', { param: 'card[token]' });
      }
      const pm = materializeToken(app, testPm, app.realNow());
      pm.metadata = applyMetadata({}, params);
      return app.render('payment_method', pm);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/payment_methods/:id',
    params: [],
    handler: ({ app, path }) => {
      const id = path.id as string;
      // Retrieving a test token yields a fresh PaymentMethod, as on Stripe.
      if (isTestToken(id)) return app.render('payment_method', materializeToken(app, id, app.realNow()));
      const pm = app.store.get('payment_method', id);
      if (!pm) throw resourceMissing('PaymentMethod', id, 'payment_method');
      return app.render('payment_method', pm);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/payment_methods/:id',
    params: ['metadata', 'billing_details', 'allow_redisplay'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const pm = app.store.get('payment_method', path.id as string);
      if (!pm) throw resourceMissing('PaymentMethod', path.id as string, 'payment_method');
      const done = app.track('payment_method', pm);
      pm.metadata = applyMetadata(pm.metadata as JsonObject, params);
      const details = optObject(params, 'billing_details');
      if (details) {
        const target = pm.billing_details as JsonObject;
        for (const k of ['email', 'name', 'phone'] as const) {
          const v = optString(details, k);
          if (v !== undefined) target[k] = v === '' ? null : v;
        }
      }
      done(op, 'payment_method.updated');
      return app.render('payment_method', pm);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/payment_methods/:id/attach',
    params: ['customer'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const customer = liveCustomer(app, reqString(params, 'customer'));
      const pm = paymentMethodFromParam(app, path.id as string, app.nowForCustomer(String(customer.id)));
      attachPaymentMethod(op, pm, customer);
      return app.render('payment_method', pm);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/payment_methods/:id/detach',
    params: [],
    handler: ({ op, path }) => detach(op, path.id as string),
  },
  {
    method: 'GET',
    pattern: '/v1/payment_methods',
    params: [...LIST_PARAMS, 'customer', 'type', 'allow_redisplay'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const type = optString(params, 'type');
      const recs = app.store
        .all('payment_method')
        .filter((pm) => (customer === undefined ? true : pm.customer === customer) && (type === undefined || pm.type === type));
      return paginate(app, 'payment_method', newestFirst(recs), params, '/v1/payment_methods');
    },
  },
];
