/**
 * Money as Stripe has it: invoice periods and lines from the invoice lines, prices that a change
 * back to an earlier amount cannot replay stale, and consumers that believe Stripe, not the body
 * of a signed event.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay } from '../../functions/domain/email-format';
import type { Tenancy } from '../../functions/domain/tenancies';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, rent, settle, stripeOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

/** Delivers `event` to the webhook, signed with the endpoint's real secret: forged, but signed. */
async function deliverSigned(event: unknown): Promise<void> {
  const { getSecretString } = await import('../../functions/adapters/secrets');
  const secret = await getSecretString(process.env.STRIPE_WEBHOOK_SECRET_ID!);
  const payload = JSON.stringify(event);
  const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret });
  const res = await twin.request('POST', '/webhooks/stripe', { rawBody: payload, headers: { 'stripe-signature': signature } });
  expect(res.status, res.text).toBe(200);
  await twin.integrations.bus.waitForIdle(10_000);
}

interface BillingJson {
  customerId: string;
  upcomingInvoice: { periodStart: string; periodEnd: string; lines: { proration: boolean; periodStart: string }[] } | null;
  recentInvoices: { invoiceId: string; periodStart: string; periodEnd: string; lines: { priceId: string; quantity: number; periodStart: string; periodEnd: string }[] }[];
}

describe('a first month', () => {
  it('is invoiced, listed and receipted for the month ahead, from its lines', async () => {
    const tenant = await signUp(twin, 'period@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Period Car Park' });
    await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'PD12ABC')).tenancyId);

    const billing = (await twin.request('GET', '/billing', { token: tenant.token })).json as BillingJson;
    const [first] = billing.recentInvoices;
    expect(first?.lines).toHaveLength(1);
    expect(first?.lines[0]).toMatchObject({ quantity: 1 });
    const days = (Date.parse(first!.periodEnd) - Date.parse(first!.periodStart)) / 86_400_000;
    expect(days, 'a month, not the instant the invoice was cut').toBeGreaterThanOrEqual(28);
    expect({ start: first!.periodStart, end: first!.periodEnd }).toEqual({ start: first!.lines[0]!.periodStart, end: first!.lines[0]!.periodEnd });
    // The next invoice bills the month after this one.
    expect(billing.upcomingInvoice?.periodStart).toBe(first!.periodEnd);

    const receipt = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.startsWith('Receipt'), 10_000);
    expect(receipt.text).toContain(`covering ${formatDay(first!.periodStart)} to ${formatDay(first!.periodEnd)}`);
    expect(receipt.text).toContain('Period Car Park: car space for PD12ABC');
  });
});

describe('a car park price changed A → B → A', () => {
  it('ends on a live price that new rentals can be billed on', async () => {
    const carpark = await createCarpark(twin, cast.operatorX);
    const path = `/carparks/${carpark.carparkId}`;
    for (const car of [12_000, 10_000]) {
      const res = await twin.request('PATCH', path, { token: cast.operatorX.token, body: { prices: { car, motorcycle: 4_000 } } });
      expect(res.status, res.text).toBe(200);
    }
    const { carparkRepository } = await import('../../functions/adapters/dynamodb/repositories');
    const stored = await carparkRepository.get(carpark.carparkId);
    const price = await stripeOf(twin).prices.retrieve(stored!.stripePrices!.car!);
    expect(price).toMatchObject({ active: true, unit_amount: 10_000 });

    const tenant = await signUp(twin, 'aba@test.example');
    await addCard(twin, tenant);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'AB12ABA')).tenancyId);
    expect(tenancy.status).toBe('active');
  });
});

describe('a signed event whose body disagrees with Stripe', () => {
  it('invoice.paid for an invoice Stripe has open sends no receipt and settles nothing', async () => {
    const tenant = await signUp(twin, 'forged@test.example');
    await addCard(twin, tenant);
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as BillingJson;
    const stripe = stripeOf(twin);
    // An invoice of our customer that Stripe has open (its first payment not yet attempted).
    const product = await stripe.products.create({ name: 'Forged test' });
    const price = await stripe.prices.create({ product: product.id, unit_amount: 5_000, currency: 'gbp', recurring: { interval: 'month' } });
    const sub = await stripe.subscriptions.create({ customer: customerId, items: [{ price: price.id }], payment_behavior: 'default_incomplete' });
    const open = await stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(open.status).toBe('open');

    await deliverSigned({
      id: 'evt_forged_paid',
      object: 'event',
      type: 'invoice.paid',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...open, status: 'paid', amount_paid: open.amount_due, amount_remaining: 0 } },
    });
    const receipts = (await twin.outbox.list()).filter((m) => m.to.includes(tenant.email) && m.subject.startsWith('Receipt'));
    expect(receipts).toEqual([]);
    expect(twin.integrations.bus.deadLetters().filter((d) => (d.event.detail as { id: string }).id === 'evt_forged_paid')).toEqual([]);
  });

  it('customer.subscription.deleted for a live subscription ends nothing', async () => {
    const tenant = await signUp(twin, 'forged-deleted@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'FD12ABC')).tenancyId);
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as BillingJson;
    const [subscription] = (await stripeOf(twin).subscriptions.list({ customer: customerId })).data;

    await deliverSigned({
      id: 'evt_forged_deleted',
      object: 'event',
      type: 'customer.subscription.deleted',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...subscription, status: 'canceled' } },
    });
    const now = (await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token })).json as { status: string };
    expect(now.status).toBe('active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['FD12ABC']);
  });
});

describe('a card whose bank asks for authentication (SCA)', () => {
  it('holds a booking while its first charge asks for authentication; the card set up for future payments pays it, and books the next at once', async () => {
    const tenant = await signUp(twin, 'sca@test.example');
    // Attached without being set up for off-session use: the first charge asks for authentication.
    await addCard(twin, tenant, 'pm_card_authenticationRequiredOnSetup');
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancyId: heldId } = await rent(twin, tenant, carpark.carparkId, 'SC12AAA');
    const tenancyNow = async () => (await twin.request('GET', `/tenancies/${heldId}`, { token: tenant.token })).json as Tenancy;
    const held = await pollUntil(async () => ((await tenancyNow()).awaitingAuthentication ? tenancyNow() : undefined), {
      timeoutMs: 20_000,
      describeFailure: () => 'the booking did not wait for the payment to be authenticated',
    });
    expect(held.status).toBe('pending');
    expect(whitelist(twin, carpark.siteId)).toEqual([]);

    // The portal sets the card up with a SetupIntent (usage off_session), as Stripe Elements does.
    const setup = await twin.request('POST', '/billing/setup-intent', { token: tenant.token });
    expect(setup.status, setup.text).toBe(201);
    const { setupIntentId, clientSecret } = setup.json as { setupIntentId: string; clientSecret: string };
    const asked = await stripeOf(twin).setupIntents.confirm(setupIntentId, { payment_method: 'pm_card_authenticationRequiredOnSetup' });
    expect(asked.status, 'the bank asks for 3-D Secure at set-up').toBe('requires_action');
    // The tenant completes the stand-in's test 3-D Secure dialog (what its Stripe.js script posts).
    const { host, port } = twin.integrations.stripe;
    const done = await fetch(`http://${host}:${port}/_standin/setup_intents/${setupIntentId}/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: clientSecret, outcome: 'complete' }).toString(),
    });
    expect(done.status).toBe(200);
    const confirmed = await stripeOf(twin).setupIntents.retrieve(setupIntentId);
    expect(confirmed.status).toBe('succeeded');
    const patched = await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: confirmed.payment_method as string } });
    expect(patched.status, patched.text).toBe(200);
    // The new card re-attempts the open first invoice; paid, the held booking goes live.
    await pollUntil(async () => (await tenancyNow()).status === 'active', {
      timeoutMs: 20_000,
      describeFailure: () => 'the held booking did not go live once its invoice was paid',
    });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'SC12AAB')).tenancyId);
    expect(tenancy.status).toBe('active');
    expect(whitelist(twin, carpark.siteId).sort()).toEqual(['SC12AAA', 'SC12AAB']);
  });
});


describe('one tenant renting several spaces at once', () => {
  it('sets every one up and bills each once, though their setups meet on the same new price', async () => {
    const tenant = await signUp(twin, 'many-at-once@test.example');
    await addCard(twin, tenant);
    const [east, west] = [await createCarpark(twin, cast.operatorX, { name: 'At Once East' }), await createCarpark(twin, cast.operatorX, { name: 'At Once West' })];
    // A subscription first, so the burst's setups all add to it rather than create it.
    const { tenancy: first } = await settle(twin, tenant, (await rent(twin, tenant, east.carparkId, 'AT10NCE')).tenancyId);

    const plates = ['AT11NCE', 'AT12NCE', 'AT13NCE', 'AT14NCE'];
    const rented = await Promise.all(plates.map((plate, i) => rent(twin, tenant, (i % 2 ? east : west).carparkId, plate)));
    const settled = await Promise.all(rented.map((t) => settle(twin, tenant, t.tenancyId)));

    expect(settled.map(({ tenancy }) => [tenancy.plate, tenancy.status])).toEqual(plates.map((plate) => [plate, 'active']));
    const expected: Record<string, number> = {};
    for (const { priceId } of [first, ...settled.map((s) => s.tenancy)]) expected[priceId] = (expected[priceId] ?? 0) + 1;
    expect(Object.values(expected).sort()).toEqual([2, 3]);
    expect(await billedQuantities(twin, tenant)).toEqual(expected);
    // Nothing charged and then credited back: no setup was undone.
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    expect(((await stripeOf(twin).customers.retrieve(customerId)) as Stripe.Customer).balance).toBe(0);
  });
});
