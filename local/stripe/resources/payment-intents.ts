import type { Op } from '../app';
import { chargeOutcome } from '../billing/cards';
import { markPaid } from '../billing/invoices';
import { declined, requireAction, succeeded } from '../billing/payment-intents';
import { StripeApiError, cardDeclined, invalidRequest } from '../http/errors';
import { newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { optBool, optString } from '../params';
import type { Rec } from '../store';
import type { Params } from '../types';
import { paymentMethodFromParam } from './shared';

function requirePi(op: Op, id: string): Rec {
  return op.app.store.require('payment_intent', id, 'intent');
}

/**
 * Confirms an invoice's PaymentIntent, on session unless `off_session`: once the cardholder has
 * authenticated (the test 3-D Secure step) the payment goes through and the invoice is paid
 * (`invoice.paid`, as any payment); a card that still asks answers `requires_action` again; a
 * decline answers 402 and leaves it `requires_payment_method`.
 */
function confirm(op: Op, pi: Rec, params: Params): void {
  const { app } = op;
  const status = String(pi.status);
  if (status !== 'requires_payment_method' && status !== 'requires_confirmation') {
    throw invalidRequest(`You cannot confirm this PaymentIntent because it has a status of ${status}.`, { code: 'payment_intent_unexpected_state' });
  }
  const at = app.nowForCustomer(pi.customer as string | null);
  const pmParam = optString(params, 'payment_method');
  const pm = pmParam ? paymentMethodFromParam(app, pmParam, at) : pi.payment_method ? app.store.require('payment_method', String(pi.payment_method), 'payment_method') : undefined;
  if (!pm) {
    throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, you can update it with a payment method and then confirm it again.", { param: 'payment_method', code: 'payment_intent_unexpected_state' });
  }
  const inv = pi.__invoice ? app.store.get('invoice', String(pi.__invoice)) : undefined;
  if (inv && inv.status !== 'open') {
    throw invalidRequest(`This PaymentIntent's invoice is ${String(inv.status)} and can no longer be paid.`, { code: 'payment_intent_unexpected_state' });
  }
  const authenticated = pi.__authenticated === true && pi.payment_method === pm.id;
  const outcome = authenticated ? { ok: true as const } : chargeOutcome(pm, optBool(params, 'off_session') ?? false);
  if (outcome.ok) {
    succeeded(pi, String(pm.id));
    if (inv) markPaid(op, inv, at, true);
    return;
  }
  if (outcome.requiresAction) return requireAction(op, pi, pm, outcome.message);
  declined(op, pi, pm, outcome.declineCode, outcome.message);
  throw cardDeclined(outcome.declineCode, outcome.message, { payment_intent: app.render('payment_intent', pi) });
}

/**
 * The outcome of the test 3-D Secure step of a PaymentIntent in `requires_action`: completed, it
 * waits to be confirmed (`requires_confirmation`); failed, it goes back to
 * `requires_payment_method` with Stripe's `payment_intent_authentication_failure` error.
 */
export function finishPaymentAuthentication(op: Op, pi: Rec, completed: boolean): void {
  const { app } = op;
  if (pi.status !== 'requires_action') {
    throw invalidRequest(`This PaymentIntent has a status of ${String(pi.status)} and does not need authentication.`, { code: 'payment_intent_unexpected_state' });
  }
  pi.next_action = null;
  if (completed) {
    pi.status = 'requires_confirmation';
    pi.__authenticated = true;
    pi.last_payment_error = null;
    return;
  }
  const pm = app.store.require('payment_method', String(pi.payment_method), 'payment_method');
  pi.status = 'requires_payment_method';
  pi.__authenticated = false;
  pi.last_payment_error = {
    code: 'payment_intent_authentication_failure',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    payment_method: app.render('payment_method', pm),
    type: 'invalid_request_error',
  };
  pi.payment_method = null;
}

export const paymentIntentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/payment_intents/:id',
    params: ['client_secret'],
    handler: ({ op, path }) => op.app.render('payment_intent', requirePi(op, path.id as string)),
  },
  {
    method: 'POST',
    pattern: '/v1/payment_intents/:id/confirm',
    params: ['payment_method', 'client_secret', 'return_url', 'use_stripe_sdk', 'off_session', 'payment_method_options', 'mandate_data', 'setup_future_usage', 'error_on_requires_action'],
    handler: ({ op, path, params }) => {
      const pi = requirePi(op, path.id as string);
      confirm(op, pi, params);
      if (pi.status === 'requires_action' && optBool(params, 'error_on_requires_action')) {
        throw new StripeApiError('card_error', String((pi.last_payment_error as { message?: string } | null)?.message ?? 'Authentication required.'), {
          code: 'authentication_required',
          declineCode: 'authentication_required',
          extra: { payment_intent: op.app.render('payment_intent', pi) },
        });
      }
      return op.app.render('payment_intent', pi);
    },
  },
  {
    method: 'GET',
    pattern: '/v1/payment_intents',
    params: [...LIST_PARAMS, 'customer', 'created'],
    handler: ({ app, params }) => {
      const customer = optString(params, 'customer');
      const recs = app.store.all('payment_intent').filter((p) => customer === undefined || p.customer === customer);
      return paginate(app, 'payment_intent', newestFirst(recs), params, '/v1/payment_intents');
    },
  },
];
