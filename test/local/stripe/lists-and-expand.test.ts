import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { customerWithCard, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

describe('lists, filters and expand', () => {
  let h: Harness;
  let customer: Stripe.Customer;
  let paymentMethod: string;
  let subscription: Stripe.Subscription;

  beforeAll(async () => {
    h = await startHarness();
    ({ customer, paymentMethod } = await customerWithCard(h.stripe, 'pm_card_visa'));
    const price = await monthlyPrice(h.stripe, 1_500);
    subscription = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: paymentMethod });
  });

  afterAll(async () => {
    await h.standin.close();
  });

  it('pages newest first with limit and starting_after, and the SDK auto-pagination sees everything once', async () => {
    const product = await h.stripe.products.create({ name: 'Paged' });
    const created: string[] = [];
    for (let i = 0; i < 23; i += 1) created.push((await h.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: 100 + i })).id);
    const page = await h.stripe.prices.list({ product: product.id, limit: 10 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/prices' });
    expect(page.data.map((p) => p.id)).toEqual(created.slice(-10).reverse());
    const all = await h.stripe.prices.list({ product: product.id, limit: 10 }).autoPagingToArray({ limit: 100 });
    expect(all.map((p) => p.id)).toEqual([...created].reverse());
  });

  it('filters prices by lookup key and customers by email', async () => {
    const product = await h.stripe.products.create({ name: 'Keyed' });
    const keyed = await h.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: 700, lookup_key: 'cp_riverside_car', recurring: { interval: 'month' } });
    expect((await h.stripe.prices.list({ lookup_keys: ['cp_riverside_car'] })).data.map((p) => p.id)).toEqual([keyed.id]);
    const taken = await rejection(h.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: 800, lookup_key: 'cp_riverside_car' }));
    expect(taken).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    const moved = await h.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: 800, lookup_key: 'cp_riverside_car', transfer_lookup_key: true });
    expect((await h.stripe.prices.list({ lookup_keys: ['cp_riverside_car'] })).data.map((p) => p.id)).toEqual([moved.id]);
    expect((await h.stripe.customers.list({ email: String(customer.email) })).data.map((c) => c.id)).toEqual([customer.id]);
    const found = await h.stripe.customers.search({ query: `email:'${String(customer.email)}'` });
    expect(found.data.map((c) => c.id)).toEqual([customer.id]);
  });

  it('expands latest_invoice, default payment methods and list entries', async () => {
    const sub = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice', 'default_payment_method', 'items.data.price.product'] });
    expect(sub.latest_invoice).toMatchObject({ object: 'invoice', status: 'paid' });
    expect(sub.default_payment_method).toMatchObject({ object: 'payment_method', id: paymentMethod });
    expect(sub.items.data[0]?.price.product).toMatchObject({ object: 'product' });
    const cust = (await h.stripe.customers.retrieve(customer.id, { expand: ['invoice_settings.default_payment_method'] })) as Stripe.Customer;
    expect(cust.invoice_settings.default_payment_method).toMatchObject({ object: 'payment_method', card: { last4: '4242' } });
    const list = await h.stripe.subscriptions.list({ customer: customer.id, expand: ['data.default_payment_method'] });
    expect(list.data[0]?.default_payment_method).toMatchObject({ object: 'payment_method' });
    expect(await rejection(h.stripe.customers.retrieve(customer.id, { expand: ['nothing_here'] }))).toMatchObject({ statusCode: 400, param: 'expand' });
  });

  it('lists a customer\'s cards and detaches one, clearing it as the default', async () => {
    const cards = await h.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(cards.data.map((p) => p.id)).toEqual([paymentMethod]);
    const detached = await h.stripe.paymentMethods.detach(paymentMethod);
    expect(detached.customer).toBeNull();
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
    expect(h.standin.state.events.filter((e) => e.type === 'payment_method.detached')).toHaveLength(1);
  });
});
