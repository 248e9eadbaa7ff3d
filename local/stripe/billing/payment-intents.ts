import type { App, Op } from '../app';
import type { Rec } from '../store';
import { randomToken } from '../store';
import type { JsonObject } from '../types';

/**
 * The PaymentIntent behind an invoice: Stripe makes one per invoice to collect it. The stand-in
 * makes it when a payment needs the cardholder (authentication): it then says `requires_action`
 * with `next_action`, and the browser completes it with Stripe.js and its client secret.
 */
export function paymentIntentTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'payment_intent',
    allowed_payment_method_types: ['card'],
    amount: 0,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: '',
    confirmation_method: 'automatic',
    created: 0,
    currency: 'usd',
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
    ...over,
  };
}

/** The invoice's PaymentIntent, made on first need for what is left to pay. */
export function invoicePaymentIntent(app: App, inv: Rec): Rec {
  const existing = inv.__payment_intent ? app.store.get('payment_intent', String(inv.__payment_intent)) : undefined;
  if (existing) return existing;
  const id = app.store.newId('payment_intent');
  const pi = paymentIntentTemplate({
    id,
    client_secret: `${id}_secret_${randomToken(24)}`,
    amount: Number(inv.amount_remaining ?? inv.amount_due),
    currency: String(inv.currency),
    customer: String(inv.customer),
    created: app.nowForCustomer(String(inv.customer)),
    description: 'Payment for Invoice',
  });
  pi.__invoice = String(inv.id);
  app.store.insert('payment_intent', pi);
  inv.__payment_intent = id;
  return pi;
}

/** The stand-in's test 3-D Secure step for this PaymentIntent, as Stripe.js's `use_stripe_sdk`. */
function nextAction(app: App, pi: Rec): JsonObject {
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${app.baseUrl}/_standin/payment_intents/${String(pi.id)}/authenticate` },
  };
}

/** The bank asked for authentication: the PaymentIntent waits for the cardholder. */
export function requireAction(op: Op, pi: Rec, pm: Rec, message: string): void {
  const { app } = op;
  pi.payment_method = String(pm.id);
  pi.status = 'requires_action';
  pi.next_action = nextAction(app, pi);
  pi.__authenticated = false;
  pi.last_payment_error = {
    code: 'authentication_required',
    decline_code: 'authentication_required',
    doc_url: 'https://stripe.com/docs/error-codes/authentication-required',
    message,
    payment_method: app.render('payment_method', pm),
    type: 'card_error',
  };
}

/** A declined confirmation: back to `requires_payment_method` with the reason. */
export function declined(op: Op, pi: Rec, pm: Rec, declineCode: string, message: string): void {
  pi.status = 'requires_payment_method';
  pi.next_action = null;
  pi.last_payment_error = {
    code: 'card_declined',
    decline_code: declineCode,
    doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    message,
    payment_method: op.app.render('payment_method', pm),
    type: 'card_error',
  };
}

/** The PaymentIntent collected its amount. */
export function succeeded(pi: Rec, pmId: string | null): void {
  pi.status = 'succeeded';
  if (pmId) pi.payment_method = pmId;
  pi.amount_received = Number(pi.amount);
  pi.next_action = null;
  pi.last_payment_error = null;
}
