/**
 * The price of a change shown before the tenant confirms it (POST /billing/quote), from Stripe's
 * invoice preview, against what Stripe then charges. Each tenant's Stripe customer is on a test
 * clock: moving it on between the quote and the change shows the change is prorated from the
 * quote's moment, so what was shown is what is charged.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, stripeOf, tenancyOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const DAY = 86_400;

interface Quote {
  currency: string;
  chargedNow: number;
  credited: number;
  nextRenewal?: { on: string; amount: number };
  endsOn?: string;
  quotedAt: string;
}

async function quote(tenant: Actor, body: Record<string, unknown>): Promise<Quote> {
  const res = await twin.request('POST', '/billing/quote', { token: tenant.token, body });
  expect(res.status, res.text).toBe(200);
  return res.json as Quote;
}

async function stripeSide(tenant: Actor) {
  const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
  const stripe = stripeOf(twin);
  const customer = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
  return { stripe, customerId, clockId: customer.test_clock as string };
}

/** Moves the tenant's Stripe clock on: a change made afterwards without the quote's moment would be prorated from then. */
async function daysLater(tenant: Actor, days: number) {
  const { stripe, clockId } = await stripeSide(tenant);
  const clock = await stripe.testHelpers.testClocks.retrieve(clockId);
  await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: clock.frozen_time + days * DAY });
  await pollUntil(async () => (await stripe.testHelpers.testClocks.retrieve(clockId)).status === 'ready', {
    timeoutMs: 10_000,
    describeFailure: () => `test clock ${clockId} did not become ready`,
  });
}

const invoicesOf = async (tenant: Actor) => {
  const { stripe, customerId } = await stripeSide(tenant);
  return (await stripe.invoices.list({ customer: customerId, limit: 20 })).data;
};

async function vehicleChanged(tenancyId: string) {
  const execution = await pollUntil(async () => twin.integrations.workflows.list('VehicleChange').find((e) => e.name.includes(tenancyId)), {
    timeoutMs: 10_000,
    describeFailure: () => 'no vehicle change workflow started',
  });
  return twin.integrations.workflows.waitFor(execution.executionArn, { timeoutMs: 20_000 });
}

describe('the price of a change, shown before it is made', () => {
  it('quotes a first space as a month charged now and the same at each renewal, and charges exactly that', async () => {
    const tenant = await signUp(twin, 'quote-first@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Quote First Car Park' });

    const shown = await quote(tenant, { kind: 'rent', carparkId: carpark.carparkId, vehicleType: 'car' });
    expect(shown).toMatchObject({ currency: 'gbp', chargedNow: 10_000, credited: 0, nextRenewal: { amount: 10_000 } });

    const tenancy = await rent(twin, tenant, carpark.carparkId, 'QF11AAA');
    const { tenancy: active } = await settle(twin, tenant, tenancy.tenancyId);
    expect(active.status).toBe('active');
    const [first] = await invoicesOf(tenant);
    expect(first!.amount_paid).toBe(shown.chargedNow);
    expect(shown.nextRenewal!.on).toBe(active.renewsAt);
  });

  it('charges a second space what its quote showed, even when the change is made days later in Stripe’s time', async () => {
    const tenant = await signUp(twin, 'quote-second@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Quote Second Car Park' });
    const { tenancy: first } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'QS11AAA')).tenancyId);

    const shown = await quote(tenant, { kind: 'rent', carparkId: carpark.carparkId, vehicleType: 'motorcycle' });
    // Prorated for (nearly) the whole month left, and the renewal bills both spaces.
    expect(shown.chargedNow).toBeGreaterThan(3_900);
    expect(shown.chargedNow).toBeLessThanOrEqual(4_000);
    expect(shown.nextRenewal).toEqual({ on: first.renewsAt, amount: 14_000 });

    await daysLater(tenant, 10);
    const res = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'motorcycle', plate: 'QS22BBB', quotedAt: shown.quotedAt },
    });
    expect(res.status, res.text).toBe(202);
    const second = (res.json as { tenancy: { tenancyId: string } }).tenancy;
    expect((await settle(twin, tenant, second.tenancyId)).tenancy.status).toBe('active');

    const charged = (await invoicesOf(tenant)).find((i) => i.billing_reason === 'subscription_update');
    expect(charged, 'the second space was invoiced at once').toBeDefined();
    expect(charged!.amount_paid).toBe(shown.chargedNow);
    const upcoming = (await twin.request('GET', '/billing', { token: tenant.token })).json as { upcomingInvoice: { amountDue: number } };
    expect(upcoming.upcomingInvoice.amountDue).toBe(shown.nextRenewal!.amount);
  });

  it('charges the new vehicle type and credits the old as quoted, and the renewal is the quoted amount', async () => {
    const tenant = await signUp(twin, 'quote-vehicle@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Quote Vehicle Car Park' });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'QV11AAA')).tenancyId);
    await daysLater(tenant, 5);

    const shown = await quote(tenant, { kind: 'vehicle_change', tenancyId: tenancy.tenancyId, vehicleType: 'motorcycle' });
    expect(shown.chargedNow).toBeGreaterThan(0);
    expect(shown.credited).toBeGreaterThan(shown.chargedNow);
    // A car's unused days are worth more than a motorcycle's month: the renewal charges nothing.
    expect(shown.nextRenewal).toEqual({ on: tenancy.renewsAt, amount: Math.max(0, 4_000 - shown.credited) });

    await daysLater(tenant, 5);
    const res = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { vehicleType: 'motorcycle', quotedAt: shown.quotedAt } });
    expect(res.status, res.text).toBe(202);
    expect(await vehicleChanged(tenancy.tenancyId)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).vehicleType).toBe('motorcycle');

    const charged = (await invoicesOf(tenant)).find((i) => i.billing_reason === 'subscription_update');
    expect(charged!.amount_paid).toBe(shown.chargedNow);
    const upcoming = (await twin.request('GET', '/billing', { token: tenant.token })).json as { upcomingInvoice: { amountDue: number } };
    expect(upcoming.upcomingInvoice.amountDue).toBe(shown.nextRenewal!.amount);
  });

  it('quotes a cancellation as nothing charged or credited, the last day, and what the other spaces renew at', async () => {
    const tenant = await signUp(twin, 'quote-cancel@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Quote Cancel Car Park' });
    const { tenancy: car } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'QC11AAA')).tenancyId);

    const alone = await quote(tenant, { kind: 'cancel', tenancyId: car.tenancyId });
    expect(alone).toMatchObject({ chargedNow: 0, credited: 0, endsOn: car.renewsAt });
    expect(alone.nextRenewal).toBeUndefined();

    await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'QC22BBB', 'motorcycle')).tenancyId);
    const withAnother = await quote(tenant, { kind: 'cancel', tenancyId: car.tenancyId });
    expect(withAnother.nextRenewal).toEqual({ on: car.renewsAt, amount: 4_000 });
  });

  it('refuses a quote that has expired, a tenancy that is not the caller’s, and a type the car park does not have', async () => {
    const tenant = await signUp(twin, 'quote-refused@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Quote Refused Car Park' });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'QR11AAA')).tenancyId);

    const old = new Date(Date.now() - 31 * 60 * 1000).toISOString();
    const late = await twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'QR22BBB', quotedAt: old } });
    expect(late.status).toBe(422);
    expect(late.json).toMatchObject({ error: { code: 'validation_failed', details: [expect.objectContaining({ path: 'quotedAt' })] } });

    const theirs = await twin.request('POST', '/billing/quote', { token: cast.tenantB.token, body: { kind: 'cancel', tenancyId: tenancy.tenancyId } });
    expect(theirs.status).toBe(404);
    const van = await twin.request('POST', '/billing/quote', { token: tenant.token, body: { kind: 'rent', carparkId: carpark.carparkId, vehicleType: 'van' } });
    expect(van.status).toBe(422);
    const noCard = await signUp(twin, 'quote-no-card@test.example');
    const unbilled = await twin.request('POST', '/billing/quote', { token: noCard.token, body: { kind: 'rent', carparkId: carpark.carparkId, vehicleType: 'car' } });
    expect(unbilled.status).toBe(409);
    expect(unbilled.json).toMatchObject({ error: { code: 'payment_method_required' } });
  });
});
