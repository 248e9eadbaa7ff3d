import type { Op } from '../app';
import { chargeOutcome } from '../billing/cards';
import { StripeApiError, invalidRequest } from '../http/errors';
import { newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { setupIntentTemplate } from '../objects/templates';
import { applyMetadata, optBool, optEnum, optNullableString, optObject, optString, optStringArray } from '../params';
import type { Rec } from '../store';
import { randomToken } from '../store';
import type { JsonObject, Params } from '../types';
import { attachPaymentMethod, liveCustomer, paymentMethodFromParam } from './shared';

function setPaymentMethod(op: Op, si: Rec, pmId: string): void {
  const pm = paymentMethodFromParam(op.app, pmId, op.app.nowForCustomer(si.customer as string | null));
  si.payment_method = String(pm.id);
  if (si.status === 'requires_payment_method') si.status = 'requires_confirmation';
}

/**
 * Confirms a SetupIntent: a card declined at setup leaves it `requires_payment_method` with
 * `last_setup_error` (and answers 402 like Stripe); otherwise it succeeds and the card is attached
 * to the SetupIntent's customer.
 */
function confirm(op: Op, si: Rec, params: Params): void {
  const { app } = op;
  const status = String(si.status);
  if (status !== 'requires_payment_method' && status !== 'requires_confirmation') {
    throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${status}.`, { code: 'setup_intent_unexpected_state' });
  }
  const pmParam = optString(params, 'payment_method');
  if (pmParam) setPaymentMethod(op, si, pmParam);
  if (!si.payment_method) {
    throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.", { param: 'payment_method' });
  }
  const pm = app.store.require('payment_method', String(si.payment_method), 'payment_method');
  const outcome = pm.__behavior === 'attach_fails' ? chargeOutcome(pm) : { ok: true as const };
  if (!outcome.ok) {
    si.status = 'requires_payment_method';
    si.last_setup_error = {
      code: 'card_declined',
      decline_code: outcome.declineCode,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      message: outcome.message,
      payment_method: app.render('payment_method', pm),
      type: 'card_error',
    };
    const rendered = app.render('setup_intent', si);
    app.emit(op, 'setup_intent.setup_failed', rendered);
    si.payment_method = null;
    throw new StripeApiError('card_error', outcome.message, {
      code: 'card_declined',
      declineCode: outcome.declineCode,
      extra: { setup_intent: app.render('setup_intent', si) },
      replayable: true,
    });
  }
  if (pm.__authenticates_at_setup) {
    // Stripe.js handles `use_stripe_sdk` by showing the bank's 3-D Secure page; the stand-in's
    // script shows a test dialog and reports the outcome to `/_standin/setup_intents/:id/authenticate`.
    si.status = 'requires_action';
    si.next_action = {
      type: 'use_stripe_sdk',
      use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${app.baseUrl}/_standin/setup_intents/${String(si.id)}/authenticate` },
    };
    app.emit(op, 'setup_intent.requires_action', app.render('setup_intent', si));
    return;
  }
  succeed(op, si, pm);
}

function succeed(op: Op, si: Rec, pm: Rec): void {
  const { app } = op;
  if (si.customer) attachPaymentMethod(op, pm, app.store.require('customer', String(si.customer)));
  // Set up for future payments: a card that asks for authentication unless set up no longer
  // does off-session (the stand-in takes the authentication at set-up as given).
  if (si.usage === 'off_session') pm.__setup_for_off_session = true;
  si.status = 'succeeded';
  si.next_action = null;
  si.last_setup_error = null;
  app.emit(op, 'setup_intent.succeeded', app.render('setup_intent', si));
}

/**
 * The outcome of the test 3-D Secure step of a SetupIntent in `requires_action`: completed, it
 * succeeds (the card is attached); failed, it goes back to `requires_payment_method` with
 * Stripe's `setup_intent_authentication_failure` error.
 */
export function finishAuthentication(op: Op, si: Rec, completed: boolean): void {
  const { app } = op;
  if (si.status !== 'requires_action') {
    throw invalidRequest(`This SetupIntent has a status of ${String(si.status)} and does not need authentication.`, { code: 'setup_intent_unexpected_state' });
  }
  const pm = app.store.require('payment_method', String(si.payment_method), 'payment_method');
  if (completed) return succeed(op, si, pm);
  si.status = 'requires_payment_method';
  si.next_action = null;
  si.last_setup_error = {
    code: 'setup_intent_authentication_failure',
    doc_url: 'https://stripe.com/docs/error-codes/setup-intent-authentication-failure',
    message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    payment_method: app.render('payment_method', pm),
    type: 'invalid_request_error',
  };
  si.payment_method = null;
  app.emit(op, 'setup_intent.setup_failed', app.render('setup_intent', si));
}

function requireSi(op: Op, id: string): Rec {
  return op.app.store.require('setup_intent', id, 'intent');
}

export const setupIntentRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/v1/setup_intents',
    params: ['customer', 'payment_method', 'payment_method_types', 'allowed_payment_method_types', 'usage', 'attach_to_self', 'single_use', 'excluded_payment_method_types', 'metadata', 'description', 'confirm', 'automatic_payment_methods', 'return_url', 'payment_method_options', 'use_stripe_sdk', 'mandate_data', 'flow_directions'],
    handler: ({ op, params }) => {
      const { app } = op;
      const customerId = optString(params, 'customer');
      const customer = customerId ? liveCustomer(app, customerId) : undefined;
      const id = app.store.newId('setup_intent');
      const types = optStringArray(params, 'allowed_payment_method_types') ?? optStringArray(params, 'payment_method_types') ?? ['card'];
      const si: Rec = setupIntentTemplate({
        id,
        client_secret: `${id}_secret_${randomToken(32)}`,
        created: app.nowForCustomer(customerId),
        customer: customer ? String(customer.id) : null,
        description: optNullableString(params, 'description') ?? null,
        metadata: applyMetadata({}, params),
        // Newer API versions call the input `allowed_payment_method_types`; both are accepted.
        allowed_payment_method_types: types,
        payment_method_types: types,
        usage: optEnum(params, 'usage', ['off_session', 'on_session'] as const) ?? 'off_session',
      });
      const auto = optObject(params, 'automatic_payment_methods');
      if (auto) si.automatic_payment_methods = { allow_redirects: optString(auto, 'allow_redirects') ?? 'always', enabled: optBool(auto, 'enabled') ?? false };
      app.store.insert('setup_intent', si);
      const pm = optString(params, 'payment_method');
      if (pm) setPaymentMethod(op, si, pm);
      app.emit(op, 'setup_intent.created', app.render('setup_intent', si));
      if (optBool(params, 'confirm')) confirm(op, si, {});
      return app.render('setup_intent', si);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/setup_intents/:id',
    params: ['client_secret'],
    handler: ({ op, path }) => op.app.render('setup_intent', requireSi(op, path.id as string)),
  },
  {
    method: 'POST',
    pattern: '/v1/setup_intents/:id',
    params: ['metadata', 'payment_method', 'customer', 'description', 'payment_method_types', 'allowed_payment_method_types', 'attach_to_self', 'flow_directions'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const si = requireSi(op, path.id as string);
      const customerId = optString(params, 'customer');
      if (customerId) si.customer = String(liveCustomer(app, customerId).id);
      const pm = optString(params, 'payment_method');
      if (pm) setPaymentMethod(op, si, pm);
      const description = optNullableString(params, 'description');
      if (description !== undefined) si.description = description;
      si.metadata = applyMetadata(si.metadata as JsonObject, params);
      return app.render('setup_intent', si);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/setup_intents/:id/confirm',
    params: ['payment_method', 'return_url', 'mandate_data', 'payment_method_options', 'use_stripe_sdk', 'client_secret', 'allowed_payment_method_types'],
    handler: ({ op, path, params }) => {
      const si = requireSi(op, path.id as string);
      confirm(op, si, params);
      return op.app.render('setup_intent', si);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/setup_intents/:id/cancel',
    params: ['cancellation_reason'],
    handler: ({ op, path, params }) => {
      const { app } = op;
      const si = requireSi(op, path.id as string);
      if (si.status === 'succeeded' || si.status === 'canceled') {
        throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${String(si.status)}.`, { code: 'setup_intent_unexpected_state' });
      }
      si.status = 'canceled';
      si.cancellation_reason = optEnum(params, 'cancellation_reason', ['abandoned', 'requested_by_customer', 'duplicate'] as const) ?? null;
      app.emit(op, 'setup_intent.canceled', app.render('setup_intent', si));
      return app.render('setup_intent', si);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/setup_intents',
    params: [...LIST_PARAMS, 'customer', 'payment_method', 'created', 'attach_to_self'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const pm = optString(params, 'payment_method');
      const recs = app.store.all('setup_intent').filter((s) => (customer === undefined || s.customer === customer) && (pm === undefined || s.payment_method === pm));
      return paginate(app, 'setup_intent', newestFirst(recs), params, '/v1/setup_intents');
    },
  },
];
