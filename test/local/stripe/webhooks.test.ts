import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { advanceClock, customerWithCard, eventually, monthlyPrice, startHarness, startWebhookReceiver, type Harness, type WebhookReceiver } from './helpers';

const SECRET = 'whsec_test_platform_secret';
const verifier = new Stripe('sk_test_unused');

describe('webhook delivery', () => {
  let h: Harness;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    h = await startHarness({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }] });
  });

  afterEach(() => {
    receiver.release();
  });

  afterAll(async () => {
    await h.standin.close();
    await receiver.close();
  });

  const deliveredEvent = (eventId: string) => receiver.received.find((r) => r.status === 200 && (JSON.parse(r.body) as { id: string }).id === eventId);

  it('signs each event so stripe.webhooks.constructEvent accepts it with the endpoint secret', async () => {
    // Act
    const customer = await h.stripe.customers.create({ email: 'signed@example.com' });
    const event = (await h.stripe.events.list({ type: 'customer.created', limit: 1 })).data[0] as Stripe.Event;
    const delivery = await eventually(() => deliveredEvent(event.id), 'customer.created delivery');
    // Assess
    const verified = verifier.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
    expect(verified).toMatchObject({ id: event.id, type: 'customer.created', object: 'event', livemode: false, api_version: Stripe.API_VERSION });
    expect((verified.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(verified.request?.idempotency_key).toMatch(/^stripe-node-retry-/);
    expect(() => verifier.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => verifier.webhooks.constructEvent(delivery.body.replace(customer.id, 'cus_forged'), delivery.signature, SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('retries a delivery the receiver answered with 500 until it is accepted', async () => {
    // Prepare
    receiver.failNext(2, 500);
    // Act
    const product = await h.stripe.products.create({ name: 'Retried' });
    const event = (await h.stripe.events.list({ type: 'product.created', limit: 1 })).data[0] as Stripe.Event;
    // Assess: the receiver's 200 is in the delivery log once the dispatcher has read it
    const attempts = await eventually(() => {
      const log = h.standin.deliveries().filter((d) => d.eventId === event.id);
      return log.some((d) => d.ok) ? log : undefined;
    }, 'product.created accepted');
    expect(attempts.map((a) => [a.attempt, a.status, a.willRetry])).toEqual([
      [1, 500, true],
      [2, 500, true],
      [3, 200, false],
    ]);
    const bodies = receiver.received.filter((r) => (JSON.parse(r.body) as { id: string }).id === event.id);
    expect(new Set(bodies.map((b) => b.body)).size).toBe(1); // the same event each time
    expect(((JSON.parse(bodies[0]?.body ?? '{}') as Stripe.Event).data.object as Stripe.Product).id).toBe(product.id);
    expect((await h.stripe.events.retrieve(event.id)).pending_webhooks).toBe(0);
  });

  it('answers API calls while a slow receiver still holds a delivery', async () => {
    // Prepare: the receiver takes a delivery and does not answer
    receiver.hold();
    const first = await h.stripe.customers.create({ email: 'slow@example.com' });
    await eventually(() => receiver.received.some((r) => r.body.includes(first.id)), 'held delivery to arrive');
    // Act
    const second = await h.stripe.customers.create({ email: 'meanwhile@example.com' });
    // Assess
    expect(second.id).toMatch(/^cus_/);
    const pending = (await h.stripe.events.list({ type: 'customer.created', limit: 2 })).data;
    expect(pending.every((e) => e.pending_webhooks === 1)).toBe(true);
    receiver.release();
    await eventually(async () => (await h.stripe.events.list({ type: 'customer.created', limit: 2 })).data.every((e) => e.pending_webhooks === 0), 'deliveries acknowledged');
  });

  it('delivers clock-driven events with request.id null', async () => {
    const start = Math.floor(Date.UTC(2033, 3, 1) / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
    const price = await monthlyPrice(h.stripe, 3_000);
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await advanceClock(h.stripe, clock.id, (sub.items.data[0]?.current_period_end ?? 0) + 3_600);
    const renewal = await eventually(
      () =>
        receiver.received
          .map((r) => JSON.parse(r.body) as Stripe.Event)
          .find((e) => e.type === 'invoice.paid' && (e.data.object as Stripe.Invoice).billing_reason === 'subscription_cycle' && (e.data.object as Stripe.Invoice).customer === customer.id),
      'renewal invoice.paid delivery',
    );
    expect(renewal.request).toEqual({ id: null, idempotency_key: null });
  });

  it('sends an endpoint only the event types it subscribed to', async () => {
    const invoicesOnly = await startWebhookReceiver();
    try {
      const endpoint = h.standin.addWebhookEndpoint({ url: invoicesOnly.url, enabledEvents: ['invoice.*'] });
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
      const price = await monthlyPrice(h.stripe, 2_000);
      await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      await eventually(() => invoicesOnly.received.length >= 4, 'invoice events');
      const types = invoicesOnly.received.map((r) => (verifier.webhooks.constructEvent(r.body, r.signature, endpoint.secret) as Stripe.Event).type);
      expect(types.every((t) => t.startsWith('invoice.'))).toBe(true);
      expect(types).toEqual(expect.arrayContaining(['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']));
      h.standin.removeWebhookEndpoint(endpoint.id);
    } finally {
      await invoicesOnly.close();
    }
  });

  it('delivers to endpoints created through the API with the secret returned on creation', async () => {
    const viaApi = await startWebhookReceiver();
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({ url: viaApi.url, enabled_events: ['customer.updated'] });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const customer = await h.stripe.customers.create({ email: 'api-endpoint@example.com' });
      await h.stripe.customers.update(customer.id, { name: 'Renamed' });
      const delivery = await eventually(() => viaApi.received[0], 'customer.updated via API endpoint');
      const event = verifier.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret ?? '');
      expect(event.type).toBe('customer.updated');
      expect(event.data.previous_attributes).toEqual({ name: null });
      await h.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await viaApi.close();
    }
  });
});
