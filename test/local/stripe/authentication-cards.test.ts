/**
 * Stripe's authentication (SCA, 3-D Secure) test cards on the stand-in: an off-session charge the
 * bank wants authenticated is refused with `invoice_payment_intent_requires_action` (not as a
 * plain decline), a renewal leaves its invoice open with `invoice.payment_action_required`, and a
 * card set up for future payments with a SetupIntent goes through off-session.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, customerWithCard, DAY, eventsFor, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.standin.close();
});

/** A customer whose card was attached without being set up for future payments. */
async function customerWithAttachedCard(stripe: Stripe, token: string, extra: Stripe.CustomerCreateParams = {}) {
  const customer = await stripe.customers.create({ email: 'sca@example.com', ...extra });
  const pm = await stripe.paymentMethods.attach(token, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return customer;
}

const subscribe = (customer: string, price: string) =>
  h.stripe.subscriptions.create({ customer, items: [{ price }], payment_behavior: 'error_if_incomplete', off_session: true });

/** A customer subscribed on pm_card_visa who then switched to pm_card_authenticationRequired, a month on: the renewal. */
async function renewalAskingForAuthentication() {
  const frozen = Math.floor(Date.UTC(2030, 0, 15, 9) / 1000);
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: frozen });
  const price = await monthlyPrice(h.stripe, 9_500);
  const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
  await subscribe(customer.id, price.id);
  const card = await h.stripe.paymentMethods.attach('pm_card_authenticationRequired', { customer: customer.id });
  await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  await advanceClock(h.stripe, clock.id, frozen + 32 * DAY);
  const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
  return { customer, renewal };
}

/** The stand-in's 3-D Secure dialog answering for the cardholder, as its Stripe.js does. */
const authenticate = (paymentIntentId: string, clientSecret: string) =>
  fetch(`http://${h.standin.host}:${h.standin.port}/_standin/payment_intents/${paymentIntentId}/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: clientSecret, outcome: 'complete' }).toString(),
  });

describe('authentication test cards', () => {
  it('pm_card_authenticationRequired: an off-session first charge asks for authentication and creates nothing', async () => {
    const price = await monthlyPrice(h.stripe, 9_500);
    const { customer } = await customerWithCard(h.stripe, 'pm_card_authenticationRequired');
    const error = await rejection(subscribe(customer.id, price.id));
    expect(error).toMatchObject({ type: 'StripeCardError', code: 'invoice_payment_intent_requires_action', decline_code: 'authentication_required', statusCode: 402 });
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toEqual([]);
  });

  it('pm_card_authenticationRequiredOnSetup: asks unless set up for off-session use, then charges off-session', async () => {
    const price = await monthlyPrice(h.stripe, 9_500);
    const attachedOnly = await customerWithAttachedCard(h.stripe, 'pm_card_authenticationRequiredOnSetup');
    expect(await rejection(subscribe(attachedOnly.id, price.id))).toMatchObject({ code: 'invoice_payment_intent_requires_action' });

    // Set up for future payments: the bank asks for 3-D Secure once, completed in the test dialog.
    const customer = await h.stripe.customers.create({ email: 'sca-setup@example.com' });
    const intent = await h.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
    const asked = await h.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_authenticationRequiredOnSetup' });
    expect(asked.status).toBe('requires_action');
    const done = await fetch(`http://${h.standin.host}:${h.standin.port}/_standin/setup_intents/${intent.id}/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: intent.client_secret!, outcome: 'complete' }).toString(),
    });
    expect(done.status).toBe(200);
    await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: asked.payment_method as string } });
    const sub = await subscribe(customer.id, price.id);
    expect(sub.status).toBe('active');
  });

  it('pm_card_authenticationRequiredSetupForOffSession: already set up, charges off-session', async () => {
    const price = await monthlyPrice(h.stripe, 9_500);
    const customer = await customerWithAttachedCard(h.stripe, 'pm_card_authenticationRequiredSetupForOffSession');
    expect((await subscribe(customer.id, price.id)).status).toBe('active');
  });

  it('a renewal the bank wants authenticated stays open, with invoice.payment_action_required and invoice.payment_failed', async () => {
    const { renewal } = await renewalAskingForAuthentication();
    expect(renewal.billing_reason).toBe('subscription_cycle');
    expect(renewal.status).toBe('open');
    expect(eventsFor(h.standin, 'invoice.payment_action_required', renewal.id!)).toHaveLength(1);
    expect(eventsFor(h.standin, 'invoice.payment_failed', renewal.id!)).toHaveLength(1);
    expect(await rejection(h.stripe.invoices.pay(renewal.id!))).toMatchObject({ code: 'invoice_payment_intent_requires_action' });
  });
});

describe("an invoice's PaymentIntent", () => {
  it('a payment asking for authentication leaves the PaymentIntent requires_action with next_action; authenticated and confirmed, the invoice is paid', async () => {
    const { customer, renewal } = await renewalAskingForAuthentication();

    const refused = await rejection(h.stripe.invoices.pay(renewal.id!));
    const fromError = (refused.raw as { payment_intent?: Stripe.PaymentIntent }).payment_intent!;
    expect(fromError).toMatchObject({ object: 'payment_intent', status: 'requires_action', amount: 9_500, customer: customer.id });
    expect(fromError.next_action).toMatchObject({ type: 'use_stripe_sdk' });
    expect(fromError.last_payment_error).toMatchObject({ code: 'authentication_required', type: 'card_error' });

    const invoice = await h.stripe.invoices.retrieve(renewal.id!, { expand: ['confirmation_secret'] });
    expect(invoice.confirmation_secret).toEqual({ client_secret: fromError.client_secret, type: 'payment_intent' });
    expect((await h.stripe.paymentIntents.retrieve(fromError.id)).status).toBe('requires_action');

    // Confirming before the cardholder authenticated is refused, as Stripe does.
    expect(await rejection(h.stripe.paymentIntents.confirm(fromError.id))).toMatchObject({ code: 'payment_intent_unexpected_state' });
    const withWrongSecret = await authenticate(fromError.id, `${fromError.id}_secret_wrong`);
    expect(withWrongSecret.status).toBe(400);
    const authenticated = await authenticate(fromError.id, fromError.client_secret!);
    expect(((await authenticated.json()) as Stripe.PaymentIntent).status).toBe('requires_confirmation');
    const confirmed = await h.stripe.paymentIntents.confirm(fromError.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 9_500, next_action: null });
    expect((await h.stripe.invoices.retrieve(renewal.id!)).status).toBe('paid');
    expect(eventsFor(h.standin, 'invoice.paid', renewal.id!)).toHaveLength(1);
  });
});
