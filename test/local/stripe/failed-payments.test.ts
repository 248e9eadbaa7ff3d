import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { advanceClock, customerWithCard, DAY, eventsFor, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

describe('failed payments', () => {
  let h: Harness;
  let price: Stripe.Price;

  beforeAll(async () => {
    h = await startHarness();
    price = await monthlyPrice(h.stripe, 9_000);
  });

  afterAll(async () => {
    await h.standin.close();
  });

  describe('a first invoice charged to pm_card_chargeCustomerFail', () => {
    let customer: Stripe.Customer;
    let subscription: Stripe.Subscription;
    let invoice: Stripe.Invoice;

    beforeAll(async () => {
      ({ customer } = await customerWithCard(h.stripe, 'pm_card_chargeCustomerFail'));
      subscription = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], expand: ['latest_invoice'] });
      invoice = subscription.latest_invoice as Stripe.Invoice;
    });

    it('attaches fine, then the charge fails: invoice stays open after invoice.payment_failed', async () => {
      expect(subscription.status).toBe('incomplete');
      expect(invoice).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_paid: 0, amount_remaining: 9_000, next_payment_attempt: null });
      expect(eventsFor(h.standin, 'invoice.payment_failed', invoice.id)).toHaveLength(1);
      expect(eventsFor(h.standin, 'invoice.paid', invoice.id)).toHaveLength(0);
      expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ delinquent: true });
    });

    it('answers invoices.pay with 402 card_declined while the failing card is the default, counting the attempt', async () => {
      const err = await rejection(h.stripe.invoices.pay(invoice.id));
      expect(err).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
      expect((await h.stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(2);
    });

    it('pays the invoice after the default card is switched to pm_card_visa, activating the subscription', async () => {
      // Prepare
      const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
      // Act
      const paid = await h.stripe.invoices.pay(invoice.id);
      // Assess
      expect(paid).toMatchObject({ status: 'paid', amount_paid: 9_000, amount_remaining: 0, attempt_count: 3 });
      expect(paid.status_transitions.paid_at).toBeTypeOf('number');
      expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
      expect(eventsFor(h.standin, 'invoice.paid', invoice.id)).toHaveLength(1);
      expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ delinquent: false });
    });

    it('refuses to pay an invoice that is already paid', async () => {
      const err = await rejection(h.stripe.invoices.pay(invoice.id));
      expect(err).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, message: 'Invoice is already paid' });
    });
  });

  it('error_if_incomplete answers 402 and creates no subscription', async () => {
    // Prepare
    const { customer } = await customerWithCard(h.stripe, 'pm_card_chargeCustomerFail');
    // Act
    const err = await rejection(h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' }));
    // Assess
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined' });
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(0);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it('default_incomplete leaves the first invoice open and unattempted', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'default_incomplete', expand: ['latest_invoice'] });
    expect(sub.status).toBe('incomplete');
    expect(sub.latest_invoice).toMatchObject({ status: 'open', attempt_count: 0, attempted: false });
  });

  it('rejects a card declined at setup: SetupIntent back to requires_payment_method with last_setup_error', async () => {
    const customer = await h.stripe.customers.create({ email: 'declined@example.com' });
    const intent = await h.stripe.setupIntents.create({ customer: customer.id });
    const err = await rejection(h.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }));
    expect(err).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
    const after = await h.stripe.setupIntents.retrieve(intent.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', last_setup_error: { code: 'card_declined', decline_code: 'insufficient_funds' } });
    expect((await h.stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(0);
  });

  describe('renewals on a test clock', () => {
    it('turns the subscription past_due, retries 3, 5 and 7 days apart, then cancels it', async () => {
      // Prepare: a paying tenant whose card starts failing before the renewal
      const start = Math.floor(Date.UTC(2031, 2, 1, 8) / 1000);
      const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
      const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      const failing = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
      await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
      // The renewal is drafted at the period end and charged an hour later.
      const renewalAt = (sub.items.data[0]?.current_period_end ?? 0) + 3_600;

      // Act: the renewal fails
      await advanceClock(h.stripe, clock.id, renewalAt);
      const renewal = (await h.stripe.invoices.list({ subscription: sub.id, limit: 1 })).data[0] as Stripe.Invoice;
      // Assess
      expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'open', attempt_count: 1, next_payment_attempt: renewalAt + 3 * DAY });
      expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');

      // Act: the scheduled retries fail too
      await advanceClock(h.stripe, clock.id, renewalAt + 3 * DAY);
      expect(await h.stripe.invoices.retrieve(renewal.id)).toMatchObject({ attempt_count: 2, next_payment_attempt: renewalAt + 8 * DAY });
      await advanceClock(h.stripe, clock.id, renewalAt + 15 * DAY);
      // Assess: attempts at +3, +8 and +15 days; the last one exhausts the schedule
      const final = await h.stripe.invoices.retrieve(renewal.id);
      expect(final).toMatchObject({ status: 'open', attempt_count: 4, next_payment_attempt: null });
      expect(eventsFor(h.standin, 'invoice.payment_failed', renewal.id)).toHaveLength(4);
      expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'payment_failed' } });
    });

    it('expires an unpaid incomplete subscription after 23 hours and voids its invoice', async () => {
      const start = Math.floor(Date.UTC(2031, 5, 1, 8) / 1000);
      const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
      const { customer } = await customerWithCard(h.stripe, 'pm_card_chargeCustomerFail', { test_clock: clock.id });
      const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      await advanceClock(h.stripe, clock.id, start + DAY);
      const expired = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
      expect(expired.status).toBe('incomplete_expired');
      expect(expired.latest_invoice).toMatchObject({ status: 'void' });
    });
  });
});
