/**
 * A car park's price change reaching its existing tenancies, through the twin: the operator's
 * change is announced on the bus, each tenancy moves onto the new price with nothing charged now,
 * its tenant is emailed the new price, the old one and the date, and the renewal charges the new
 * price. Tenancies that will not renew (cancelling) keep theirs; the nightly run catches a change
 * the bus never carried; a second run sends nothing twice.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay } from '../../functions/domain/email-format';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, rent, settle, stripeOf, tenancyOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  // A day's wait takes 2 s: a tenancy booked ten days ahead is still scheduled during its test.
  twin = await startTestTwin({ customerTestClocks: true, waitScale: 1 / 43_200 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const jobContext = { awsRequestId: 'reprice-test', functionName: 'RepriceTenancies', getRemainingTimeInMillis: () => 60_000 };

async function changePrices(operator: Actor, carparkId: string, prices: Record<string, number>) {
  const res = await twin.request('PATCH', `/carparks/${carparkId}`, { token: operator.token, body: { prices } });
  expect(res.status, res.text).toBe(200);
  await twin.integrations.bus.waitForIdle(15_000);
}

async function subscriptionOf(tenant: Actor) {
  const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
  const stripe = stripeOf(twin);
  const [subscription] = (await stripe.subscriptions.list({ customer: customerId })).data;
  return { stripe, customerId, subscription: subscription! };
}

const noticesTo = async (tenant: Actor) => (await twin.outbox.list()).filter((m) => m.to.includes(tenant.email) && m.subject.includes('is changing'));

describe('a car park’s new price for the tenancies it already has', () => {
  it('moves an active tenancy onto it with nothing charged now, emails its tenant, and charges it from the renewal', async () => {
    const tenant = await signUp(twin, 'reprice-active@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Active Car Park' });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RP11AAA')).tenancyId);
    expect(tenancy).toMatchObject({ status: 'active', monthlyAmount: 10_000 });
    const { stripe, customerId, subscription } = await subscriptionOf(tenant);
    const invoicesBefore = (await stripe.invoices.list({ customer: customerId })).data.length;

    await changePrices(cast.operatorX, carpark.carparkId, { car: 12_500, motorcycle: 4_000 });

    const moved = await pollUntil(async () => ((await tenancyOf(twin, tenant, tenancy.tenancyId)).priceChange?.notifiedAt ? tenancyOf(twin, tenant, tenancy.tenancyId) : undefined), {
      timeoutMs: 15_000,
      describeFailure: () => 'the tenancy was never moved onto the new price and its tenant told',
    });
    expect(moved.monthlyAmount).toBe(12_500);
    expect(moved.priceChange).toMatchObject({ previousAmount: 10_000, from: tenancy.renewsAt });
    expect(moved.priceId).not.toBe(tenancy.priceId);

    // Stripe: the same item, now on the new price; no invoice, no proration waiting for the next one.
    const now = (await stripe.subscriptions.retrieve(subscription.id)).items.data;
    expect(now.map((i) => [i.id, i.price.id, i.quantity])).toEqual([[subscription.items.data[0]!.id, moved.priceId, 1]]);
    expect((await stripe.invoices.list({ customer: customerId })).data).toHaveLength(invoicesBefore);
    // No tenancy is left on the old price: it is archived.
    expect((await stripe.prices.retrieve(tenancy.priceId)).active).toBe(false);
    expect((await stripe.invoiceItems.list({ customer: customerId, pending: true })).data).toEqual([]);

    const [notice, ...more] = await noticesTo(tenant);
    expect(more).toEqual([]);
    expect(notice!.subject).toBe('The price of your space at Reprice Active Car Park is changing');
    expect(notice!.text).toContain(`From your renewal on ${formatDay(tenancy.renewsAt!)}, your car space for RP11AAA costs £125.00 a month (it was £100.00)`);
    expect(notice!.text).toContain('nothing is charged now');
    expect(notice!.text).toContain(`${twin.webBaseUrl}/my/tenancies/${tenancy.tenancyId}`);

    const timeline = await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: cast.operatorX.token });
    expect((timeline.json as { items: { kind: string; detail?: Record<string, unknown> }[] }).items.find((e) => e.kind === 'price_changed')?.detail).toMatchObject({
      previousAmount: 10_000,
      monthlyAmount: 12_500,
    });

    // The renewal: a minute past its draft hour, Stripe charges the new price for the next month.
    const clockId = ((await stripe.customers.retrieve(customerId)) as Stripe.Customer).test_clock as string;
    await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: subscription.items.data[0]!.current_period_end + 3_600 + 60 });
    const renewal = await pollUntil(
      async () => (await stripe.invoices.list({ customer: customerId })).data.find((i) => i.billing_reason === 'subscription_cycle' && i.status === 'paid'),
      { timeoutMs: 15_000, describeFailure: () => 'the renewal was never paid' },
    );
    expect(renewal.amount_paid).toBe(12_500);
    expect(renewal.lines.data.map((l) => l.amount)).toEqual([12_500]);

    // Run again (the nightly run): nothing moves, nothing is sent twice.
    const { handler } = await import('../../functions/handlers/jobs/reprice-tenancies');
    const again = (await (handler as unknown as (e: unknown, c: unknown) => Promise<{ repriced: number; notified: number }>)({}, jobContext));
    expect(again).toMatchObject({ repriced: 0, notified: 0 });
    expect(await noticesTo(tenant)).toHaveLength(1);
  });

  it('moves every tenant’s subscription, each with its own Stripe request, however alike their billing', async () => {
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Many Car Park' });
    // Alike: one space each on the same price, so each account is at the same version.
    const tenants = [];
    for (const [i, plate] of ['RP31AAA', 'RP32AAA', 'RP33AAA'].entries()) {
      const tenant = await signUp(twin, `reprice-many-${i}@test.example`);
      await addCard(twin, tenant);
      const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId);
      tenants.push({ tenant, tenancy });
    }

    await changePrices(cast.operatorX, carpark.carparkId, { car: 11_000, motorcycle: 4_000 });

    for (const { tenant, tenancy } of tenants) {
      const moved = await pollUntil(async () => ((await tenancyOf(twin, tenant, tenancy.tenancyId)).priceChange?.notifiedAt ? tenancyOf(twin, tenant, tenancy.tenancyId) : undefined), {
        timeoutMs: 15_000,
        describeFailure: () => `${tenant.email}'s tenancy was never moved onto the new price and its tenant told`,
      });
      const { stripe, subscription } = await subscriptionOf(tenant);
      expect((await stripe.subscriptions.retrieve(subscription.id)).items.data.map((i) => [i.price.id, i.quantity])).toEqual([[moved.priceId, 1]]);
      expect(await noticesTo(tenant)).toHaveLength(1);
    }
  });

  it('charges only the new space when a tenant already on the old price rents another at the new one', async () => {
    const tenant = await signUp(twin, 'reprice-second@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Second Car Park' });
    await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RP22AAA')).tenancyId);
    await changePrices(cast.operatorX, carpark.carparkId, { car: 15_000, motorcycle: 4_000 });
    await pollUntil(async () => (await noticesTo(tenant)).length === 1, { timeoutMs: 15_000, describeFailure: () => 'no notice' });

    const { stripe, customerId, subscription } = await subscriptionOf(tenant);
    const second = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RP22BBB')).tenancyId);
    expect(second.tenancy).toMatchObject({ status: 'active', monthlyAmount: 15_000 });
    const items = (await stripe.subscriptions.retrieve(subscription.id)).items.data;
    expect(items.map((i) => [i.price.unit_amount, i.quantity])).toEqual([[15_000, 2]]);
    // The second space's rest of the month is all that was invoiced since the first month.
    const invoices = (await stripe.invoices.list({ customer: customerId })).data;
    expect(invoices.map((i) => i.billing_reason)).toEqual(['subscription_update', 'subscription_create']);
    expect(invoices[0]!.amount_paid).toBeGreaterThan(0);
    expect(invoices[0]!.amount_paid).toBeLessThanOrEqual(15_000);
  });

  it('leaves a cancelling tenancy on the price it ends with, and moves a tenancy booked for later before it starts', async () => {
    const leaving = await signUp(twin, 'reprice-leaving@test.example');
    const later = await signUp(twin, 'reprice-later@test.example');
    await addCard(twin, leaving);
    await addCard(twin, later);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Mixed Car Park' });
    const { tenancy: ending } = await settle(twin, leaving, (await rent(twin, leaving, carpark.carparkId, 'RP33AAA')).tenancyId);
    expect((await twin.request('DELETE', `/tenancies/${ending.tenancyId}`, { token: leaving.token })).status).toBe(202);
    await pollUntil(async () => (await tenancyOf(twin, leaving, ending.tenancyId)).status === 'cancelling', {
      timeoutMs: 15_000,
      describeFailure: () => 'never cancelling',
    });
    const startDate = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 10 * 86_400_000).toISOString();
    const booked = await twin.request('POST', '/tenancies', { token: later.token, body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'RP33BBB', startDate } });
    expect(booked.status, booked.text).toBe(202);
    const scheduledId = (booked.json as { tenancy: { tenancyId: string } }).tenancy.tenancyId;

    await changePrices(cast.operatorX, carpark.carparkId, { car: 9_000, motorcycle: 4_000 });

    const notice = await twin.outbox.waitFor((m) => m.to.includes(later.email) && m.subject.includes('is changing'), 15_000);
    expect(notice.text).toContain(`Your car space for RP33BBB starts on ${formatDay(startDate)} at the new price of £90.00 a month (it was £100.00)`);
    expect(await tenancyOf(twin, later, scheduledId)).toMatchObject({ status: 'scheduled', monthlyAmount: 9_000, priceChange: { previousAmount: 10_000, from: startDate } });

    const stays = await tenancyOf(twin, leaving, ending.tenancyId);
    expect(stays).toMatchObject({ status: 'cancelling', monthlyAmount: 10_000, priceId: ending.priceId });
    expect(stays.priceChange).toBeUndefined();
    expect(await noticesTo(leaving)).toEqual([]);
  });

  it('lets a tenancy being set up on the old price finish, and moves it once it is active', async () => {
    const tenant = await signUp(twin, 'reprice-in-setup@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Setup Car Park' });
    const pending = await rent(twin, tenant, carpark.carparkId, 'RP55AAA');
    // The price changes while the setup is still to bill the old one.
    await changePrices(cast.operatorX, carpark.carparkId, { car: 13_000, motorcycle: 4_000 });
    const { tenancy } = await settle(twin, tenant, pending.tenancyId);
    expect(tenancy).toMatchObject({ status: 'active', priceId: pending.priceId });

    const { handler } = await import('../../functions/handlers/jobs/reprice-tenancies');
    await (handler as unknown as (e: unknown, c: unknown) => Promise<unknown>)({}, jobContext);
    expect(await tenancyOf(twin, tenant, tenancy.tenancyId)).toMatchObject({ monthlyAmount: 13_000, priceChange: { previousAmount: 10_000 } });
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([1]);
    expect((await stripeOf(twin).prices.retrieve(pending.priceId)).active).toBe(false);
  });

  it('is caught by the nightly run when the bus never carried the change', async () => {
    const tenant = await signUp(twin, 'reprice-nightly@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Reprice Nightly Car Park' });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RP44AAA')).tenancyId);

    // The change saved, its announcement lost.
    const { updateCarpark } = await import('../../functions/domain/carpark-admin');
    const { carparkWriteDeps } = await import('../../functions/adapters/wiring/carpark-writes');
    const operator = { userId: cast.operatorX.userId, role: 'operator' as const, operatorId: cast.operatorX.operatorId };
    await updateCarpark({ ...carparkWriteDeps, priceChanges: { announce: async () => undefined } }, operator, carpark.carparkId, {
      prices: { car: 11_000, motorcycle: 4_000 },
    });
    await twin.integrations.bus.waitForIdle(5_000);
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).monthlyAmount).toBe(10_000);

    const { handler } = await import('../../functions/handlers/jobs/reprice-tenancies');
    const run = await (handler as unknown as (e: unknown, c: unknown) => Promise<{ repriced: number; notified: number }>)({}, jobContext);
    expect(run).toMatchObject({ repriced: 1, notified: 1 });
    expect(await tenancyOf(twin, tenant, tenancy.tenancyId)).toMatchObject({ monthlyAmount: 11_000, priceChange: { previousAmount: 10_000 } });
    expect(await noticesTo(tenant)).toHaveLength(1);
  });
});
