import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { stripeClientFor } from '../../../local/stripe/server';
import { customerWithCard, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

describe('idempotency keys', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.standin.close();
  });

  it('replays the stored response for a repeated key without creating a second object', async () => {
    // Act
    const first = await h.stripe.customers.create({ email: 'replay@example.com' }, { idempotencyKey: 'signup-42' });
    const again = await h.stripe.customers.create({ email: 'replay@example.com' }, { idempotencyKey: 'signup-42' });
    // Assess
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await h.stripe.customers.list({ email: 'replay@example.com' })).data).toHaveLength(1);
    expect(h.standin.state.count('customer')).toBe(1);
    expect(h.standin.state.events.filter((e) => e.type === 'customer.created')).toHaveLength(1);
  });

  it('refuses the same key with different parameters (idempotency_error)', async () => {
    await h.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'k-mismatch' });
    const err = await rejection(h.stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'k-mismatch' }));
    expect(err).toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400, rawType: 'idempotency_error' });
    expect(err.message).toContain("Try using a key other than 'k-mismatch'");
    expect((await h.stripe.customers.list({ email: 'b@example.com' })).data).toHaveLength(0);
  });

  it('replays a declined payment instead of charging again', async () => {
    const price = await monthlyPrice(h.stripe, 5_000);
    const { customer } = await customerWithCard(h.stripe, 'pm_card_chargeCustomerFail');
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoiceId = String(sub.latest_invoice);
    const first = await rejection(h.stripe.invoices.pay(invoiceId, {}, { idempotencyKey: 'pay-1' }));
    const second = await rejection(h.stripe.invoices.pay(invoiceId, {}, { idempotencyKey: 'pay-1' }));
    expect([first.statusCode, second.statusCode]).toEqual([402, 402]);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    expect((await h.stripe.invoices.retrieve(invoiceId)).attempt_count).toBe(2); // creation + one pay
  });

  it('does not store a request refused by validation, so the key works once fixed', async () => {
    const invalid = await rejection(h.stripe.prices.create({ currency: 'gbp', unit_amount: 100 } as Stripe.PriceCreateParams, { idempotencyKey: 'price-1' }));
    expect(invalid).toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    const product = await h.stripe.products.create({ name: 'Later' });
    const fixed = await h.stripe.prices.create({ currency: 'gbp', unit_amount: 100, product: product.id }, { idempotencyKey: 'price-2' });
    expect(fixed.product).toBe(product.id);
  });
});

describe('fault switches', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ faultSeed: 7 });
  });

  afterAll(async () => {
    await h.standin.close();
  });

  it('fails a request with 500 before it runs; the SDK retry with the same key succeeds exactly once', async () => {
    // Prepare
    const retrying = stripeClientFor(h.standin, { maxNetworkRetries: 2 });
    h.standin.faults.failNext(1, { pathPrefix: '/v1/customers', method: 'POST' });
    // Act
    const customer = await retrying.customers.create({ email: 'retry@example.com' });
    // Assess
    expect(h.standin.faults.injected.error).toBe(1);
    expect((await h.stripe.customers.list({ email: 'retry@example.com' })).data.map((c) => c.id)).toEqual([customer.id]);
    const created = h.standin.state.events.filter((e) => e.type === 'customer.created' && (e.data as { object: { id: string } }).object.id === customer.id);
    expect(created).toHaveLength(1);
    expect((created[0]?.request as { idempotency_key: string }).idempotency_key).toMatch(/^stripe-node-retry-/);
  });

  it('surfaces the 500 to a client without retries, and nothing is created', async () => {
    h.standin.faults.failNext(1, { pathPrefix: '/v1/customers' });
    const err = await rejection(h.stripe.customers.create({ email: 'lost@example.com' }));
    expect(err).toMatchObject({ type: 'StripeAPIError', statusCode: 500, rawType: 'api_error' });
    expect((await h.stripe.customers.list({ email: 'lost@example.com' })).data).toHaveLength(0);
  });

  it('loses a response after the request ran; the retry replays it instead of creating a duplicate', async () => {
    const retrying = stripeClientFor(h.standin, { maxNetworkRetries: 1 });
    h.standin.faults.failNext(1, { pathPrefix: '/v1/products', when: 'after' });
    const product = await retrying.products.create({ name: 'Lost response' });
    expect(product.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await h.stripe.products.list({ limit: 100 })).data.filter((p) => p.name === 'Lost response')).toHaveLength(1);
  });

  it('drops a connection; the SDK retries a reset once even with retries off', async () => {
    h.standin.faults.resetNext(1, { pathPrefix: '/v1/customers', method: 'POST' });
    const customer = await h.stripe.customers.create({ email: 'reset@example.com' });
    expect(h.standin.faults.injected.reset).toBe(1);
    expect((await h.stripe.customers.list({ email: 'reset@example.com' })).data.map((c) => c.id)).toEqual([customer.id]);
  });

  it('adds latency to matching requests only', async () => {
    h.standin.faults.latency(300, { pathPrefix: '/v1/prices', count: 1 });
    await h.stripe.customers.list({ limit: 1 });
    expect(h.standin.faults.injected.latency).toBe(0);
    const t0 = Date.now();
    await h.stripe.prices.list({ limit: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
    expect(h.standin.faults.injected.latency).toBe(1);
    expect(h.standin.faults.rules()).toEqual([]);
  });

  it('fails a seeded fraction of requests, the same way on every run', async () => {
    const pattern = async (harness: Harness) => {
      harness.standin.faults.failRate(0.4, { pathPrefix: '/v1/events' });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 20; i += 1) {
        outcomes.push(await harness.stripe.events.list({ limit: 1 }).then(() => true, () => false));
      }
      harness.standin.faults.clear();
      return outcomes;
    };
    const other = await startHarness({ faultSeed: 7 });
    try {
      const a = await pattern(other);
      const fresh = await startHarness({ faultSeed: 7 });
      const b = await pattern(fresh).finally(() => fresh.standin.close());
      expect(a).toEqual(b);
      expect(a.filter((ok) => !ok).length).toBeGreaterThan(2);
      expect(a.filter((ok) => ok).length).toBeGreaterThan(2);
    } finally {
      await other.standin.close();
    }
  });
});
