import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { customerWithCard, eventsFor, eventTypes, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

describe('subscription lifecycle through the real Stripe SDK', () => {
  let h: Harness;
  let customer: Stripe.Customer;
  let paymentMethod: string;
  let carPrice: Stripe.Price;
  let motorcyclePrice: Stripe.Price;
  let subscription: Stripe.Subscription;

  beforeAll(async () => {
    h = await startHarness();
    ({ customer, paymentMethod } = await customerWithCard(h.stripe, 'pm_card_visa'));
    carPrice = await monthlyPrice(h.stripe, 12_000, 'Riverside — car');
    motorcyclePrice = await monthlyPrice(h.stripe, 4_500, 'Riverside — motorcycle');
  });

  afterAll(async () => {
    await h.standin.close();
  });

  it('saves a card through a SetupIntent as a new pm_ copied from the test token', async () => {
    // Prepare / Act
    const intents = await h.stripe.setupIntents.list({ customer: customer.id });
    const pm = await h.stripe.paymentMethods.retrieve(paymentMethod);
    // Assess
    expect(intents.data[0]).toMatchObject({ status: 'succeeded', payment_method: paymentMethod, usage: 'off_session' });
    expect(intents.data[0]?.client_secret).toMatch(/^seti_\w+_secret_\w+$/);
    expect(paymentMethod).toMatch(/^pm_/);
    expect(paymentMethod).not.toBe('pm_card_visa');
    expect(pm).toMatchObject({ customer: customer.id, type: 'card', card: { brand: 'visa', last4: '4242' } });
    expect(eventTypes(h.standin)).toEqual(expect.arrayContaining(['setup_intent.created', 'payment_method.attached', 'setup_intent.succeeded']));
  });

  it('creates an active subscription whose first invoice is paid with the default card', async () => {
    // Act
    subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: carPrice.id, quantity: 1 }],
      metadata: { tenancyId: 'ten_1' },
      expand: ['latest_invoice'],
    });
    // Assess
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(subscription.status).toBe('active');
    expect(subscription.items.data).toHaveLength(1);
    expect(subscription.items.data[0]).toMatchObject({ quantity: 1, price: { id: carPrice.id } });
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 12_000, amount_paid: 12_000, amount_remaining: 0, billing_reason: 'subscription_create', attempt_count: 1 });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.lines.data[0]).toMatchObject({ amount: 12_000, quantity: 1, period: { start: subscription.start_date } });
    const ownEvents = h.standin.state.events.filter((e) => {
      const obj = (e.data as { object: { id: string; subscription?: string } }).object;
      return obj.id === subscription.id || obj.id === invoice.id;
    });
    expect(ownEvents.map((e) => e.type)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    expect((ownEvents.at(-1)?.data as { previous_attributes: unknown }).previous_attributes).toEqual({ status: 'incomplete' });
  });

  it('adds a subscription item when a tenancy on a second price starts', async () => {
    // Act
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ price: motorcyclePrice.id, quantity: 1 }],
      proration_behavior: 'none',
    });
    // Assess
    expect(updated.items.data.map((i) => [i.price.id, i.quantity])).toEqual([
      [carPrice.id, 1],
      [motorcyclePrice.id, 1],
    ]);
    const update = eventsFor(h.standin, 'customer.subscription.updated', subscription.id).at(-1) as { data: { previous_attributes: { items: { data: unknown[] } } } };
    expect(update.data.previous_attributes.items.data).toHaveLength(1);
  });

  it('refuses a second item on a price the subscription already has', async () => {
    const err = await rejection(h.stripe.subscriptionItems.create({ subscription: subscription.id, price: carPrice.id }));
    expect(err).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    expect(err.message).toContain('Cannot add multiple subscription items with the same plan');
  });

  it('raises the quantity of an item when another tenancy starts on the same price', async () => {
    // Prepare
    const item = (await h.stripe.subscriptions.retrieve(subscription.id)).items.data.find((i) => i.price.id === carPrice.id);
    // Act
    const updated = await h.stripe.subscriptionItems.update(item?.id ?? '', { quantity: 3, proration_behavior: 'none' });
    // Assess
    expect(updated.quantity).toBe(3);
    const view = h.standin.state.subscriptions.find((s) => s.id === subscription.id) as unknown as Stripe.Subscription;
    expect(view.items.data.map((i) => i.quantity)).toEqual([3, 1]);
  });

  it('deletes an item when its last tenancy ends, but never the last item of a subscription', async () => {
    // Prepare
    const items = (await h.stripe.subscriptionItems.list({ subscription: subscription.id })).data;
    const moto = items.find((i) => i.price.id === motorcyclePrice.id);
    const car = items.find((i) => i.price.id === carPrice.id);
    // Act
    const deleted = await h.stripe.subscriptionItems.del(moto?.id ?? '', { proration_behavior: 'none' });
    const lastDeletion = await rejection(h.stripe.subscriptionItems.del(car?.id ?? ''));
    // Assess
    expect(deleted).toMatchObject({ id: moto?.id, object: 'subscription_item', deleted: true });
    expect(await rejection(h.stripe.subscriptionItems.retrieve(moto?.id ?? ''))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(lastDeletion).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    expect(lastDeletion.message).toContain('A subscription must have at least one active plan');
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).items.data).toHaveLength(1);
  });

  it('cancels the subscription: status canceled, customer.subscription.deleted, further changes refused', async () => {
    // Act
    const canceled = await h.stripe.subscriptions.cancel(subscription.id, { cancellation_details: { comment: 'moved away' } });
    // Assess
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'cancellation_requested', comment: 'moved away' } });
    expect(canceled.ended_at).toBeTypeOf('number');
    expect(eventsFor(h.standin, 'customer.subscription.deleted', subscription.id)).toHaveLength(1);
    expect(await rejection(h.stripe.subscriptions.cancel(subscription.id))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const change = await rejection(h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }));
    expect(change.message).toBe('A canceled subscription can only update its cancellation_details and metadata.');
    const metadataOnly = await h.stripe.subscriptions.update(subscription.id, { metadata: { archived: 'yes' } });
    expect(metadataOnly.metadata).toEqual({ tenancyId: 'ten_1', archived: 'yes' });
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'canceled' })).data.map((s) => s.id)).toEqual([subscription.id]);
  });

  it('cancels the subscriptions of a deleted customer', async () => {
    // Prepare
    const other = await customerWithCard(h.stripe, 'pm_card_visa');
    const sub = await h.stripe.subscriptions.create({ customer: other.customer.id, items: [{ price: carPrice.id }] });
    // Act
    const deleted = await h.stripe.customers.del(other.customer.id);
    // Assess
    expect(deleted).toEqual({ id: other.customer.id, object: 'customer', deleted: true });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled');
    expect(await h.stripe.customers.retrieve(other.customer.id)).toMatchObject({ deleted: true });
    expect(await rejection(h.stripe.customers.update(other.customer.id, { name: 'x' }))).toMatchObject({ statusCode: 404 });
    expect(eventsFor(h.standin, 'customer.deleted', other.customer.id)).toHaveLength(1);
  });
});

describe('customers created with a card', () => {
  it('turn the token into the customer\'s own pm_ and make it the invoice default when asked', async () => {
    const h = await startHarness();
    try {
      const customer = await h.stripe.customers.create({
        email: 'card-at-signup@example.com',
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
        expand: ['invoice_settings.default_payment_method'],
      });
      const pm = customer.invoice_settings.default_payment_method as Stripe.PaymentMethod;
      expect(pm).toMatchObject({ object: 'payment_method', customer: customer.id, card: { last4: '4242' } });
      expect(pm.id).not.toBe('pm_card_visa');
      const declined = await rejection(h.stripe.customers.create({ email: 'nope@example.com', payment_method: 'pm_card_chargeDeclined' }));
      expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined' });
      expect((await h.stripe.customers.list({ email: 'nope@example.com' })).data).toHaveLength(0);
    } finally {
      await h.standin.close();
    }
  });
});
