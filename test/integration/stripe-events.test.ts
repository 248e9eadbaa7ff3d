/**
 * Stripe's events through the signed webhook onto the event bus: forged or stale deliveries are
 * refused before anything reaches the bus, and a paid invoice gives one receipt however often and
 * in whatever order its event arrives.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, stripeOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const webhookSecret = async () => {
  const { getSecretString } = await import('../../functions/adapters/secrets');
  return getSecretString(process.env.STRIPE_WEBHOOK_SECRET_ID!);
};

const deliver = (payload: string, signature: string | undefined) =>
  twin.request('POST', '/webhooks/stripe', { rawBody: payload, headers: signature ? { 'stripe-signature': signature } : {} });

const receiptsTo = async (email: string) => (await twin.outbox.list()).filter((m) => m.to.includes(email) && m.subject.startsWith('Receipt'));

describe('the Stripe webhook', () => {
  it('refuses tampered, wrongly signed, stale and unsigned deliveries, and puts nothing on the bus', async () => {
    const signer = new Stripe('sk_test_unused');
    const secret = await webhookSecret();
    const payload = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_forged' } } });
    const sign = (body: string, key = secret, timestamp = Math.floor(Date.now() / 1000)) =>
      signer.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp });
    const before = twin.integrations.bus.archive().length;

    const cases = [
      ['tampered body', deliver(payload.replace('in_forged', 'in_other'), sign(payload))],
      ['wrong secret', deliver(payload, sign(payload, 'whsec_not_ours'))],
      ['stale timestamp', deliver(payload, sign(payload, secret, Math.floor(Date.now() / 1000) - 3600))],
      ['no signature', deliver(payload, undefined)],
    ] as const;
    for (const [name, response] of cases) {
      const res = await response;
      expect(res.status, name).toBe(400);
      expect((res.json as { error: { code: string } }).error.code, name).toMatch(/^signature_/);
    }
    expect(twin.integrations.bus.archive().length).toBe(before);

    // The same event properly signed goes through.
    const ok = await deliver(payload, sign(payload));
    expect(ok.status).toBe(200);
    expect(twin.integrations.bus.archive().some((e) => (e.detail as { id: string }).id === 'evt_forged')).toBe(true);
  });
});

describe('a paid invoice', () => {
  it('sends one receipt with the amount, period, car park and plate, whatever Stripe redelivers', async () => {
    const tenant = await signUp(twin, 'receipt@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Receipt Street Car Park' });
    await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RX12ABC')).tenancyId);

    const receipt = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.startsWith('Receipt'), 10_000);
    expect(receipt.subject).toContain('£100.00');
    expect(receipt.text).toContain('Receipt Street Car Park: car space for RX12ABC');
    expect(receipt.text).toMatch(/covering [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} to [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}\./);

    // Stripe delivers at least once and out of order: send the paid event five more times,
    // shuffled among other events of the same customer.
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    const events = twin.integrations.stripe.state.events as unknown as { id: string; type: string; data: { object: { customer?: string } } }[];
    const paid = events.find((e) => e.type === 'invoice.paid' && e.data.object.customer === customerId);
    expect(paid).toBeDefined();
    const others = events.filter((e) => e.id !== paid!.id).slice(-4);
    const secret = await webhookSecret();
    const signer = new Stripe('sk_test_unused');
    const batch = [paid, others[0], paid, others[1], paid, paid, others[2], paid].filter(Boolean).map((e) => JSON.stringify(e));
    const answers = await Promise.all(batch.map((body) => deliver(body, signer.webhooks.generateTestHeaderString({ payload: body, secret }))));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    await twin.integrations.bus.waitForIdle(10_000);
    expect(await receiptsTo(tenant.email)).toHaveLength(1);
    expect(twin.integrations.bus.deadLetters().filter((d) => JSON.stringify(d.event.detail).includes(customerId))).toEqual([]);
  });

  it('lands in the dead-letter list when email keeps failing, and a replay sends the receipt once', async () => {
    const tenant = await signUp(twin, 'replay@test.example');
    await addCard(twin, tenant);
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    const deadReceipts = () =>
      twin.integrations.bus
        .deadLetters()
        .filter((d) => d.ruleId === 'InvoicePaid' && (d.event.detail as { data: { object: { customer?: string } } }).data.object.customer === customerId);
    const carpark = await createCarpark(twin, cast.operatorY);
    twin.ses.failNext(1_000, 'serviceUnavailable');
    try {
      await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RP12ABC')).tenancyId);
      await pollUntil(async () => deadReceipts().length > 0, {
        timeoutMs: 15_000,
        describeFailure: () => 'the failing receipt never reached the dead-letter list',
      });
    } finally {
      twin.ses.clearFaults();
    }
    expect(await receiptsTo(tenant.email)).toHaveLength(0);

    const dead = deadReceipts().map((d) => d.event.id);
    twin.integrations.bus.replay(dead);
    await twin.integrations.bus.waitForIdle(10_000);
    const receipts = await receiptsTo(tenant.email);
    expect(receipts).toHaveLength(1);
    // Replaying again changes nothing: the receipt is recorded as sent.
    twin.integrations.bus.replay(dead);
    await twin.integrations.bus.waitForIdle(10_000);
    expect(await receiptsTo(tenant.email)).toHaveLength(1);
  });
});

describe('a subscription deleted at Stripe', () => {
  it('ends the tenancies it paid for: plates revoked, spaces freed', async () => {
    const tenant = await signUp(twin, 'deleted@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'SD12ABC')).tenancyId);
    expect(whitelist(twin, carpark.siteId)).toEqual(['SD12ABC']);

    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    const [subscription] = (await stripeOf(twin).subscriptions.list({ customer: customerId })).data;
    await stripeOf(twin).subscriptions.cancel(subscription!.id);

    await pollUntil(
      async () => ((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token })).json as { status: string }).status === 'ended',
      { timeoutMs: 10_000, describeFailure: () => 'the tenancy did not end after its subscription was deleted' },
    );
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json).toMatchObject({ spacesFree: { car: 10 } });
  });
});
