/**
 * The next renewal on a tenancy, as the API shows it: recorded when the setup charges the first
 * month (Stripe's current period end), moved on by the paid renewal invoice a month later, and
 * not shown as a renewal once the tenancy is cancelled (it ends then instead).
 * Driven through the twin, with the customer's Stripe test clock moved past the period's end.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyResponse } from '../../functions/api/schemas';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, stripeOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('the next renewal of a tenancy', () => {
  it('is one billing period ahead when it goes active, and moves on when the renewal is paid', async () => {
    const tenant = await signUp(twin, 'renewal-date@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Renewal Date Car Park' });
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RN11AAA')).tenancyId);
    expect(tenancy.status).toBe('active');

    const stripe = stripeOf(twin);
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    const [subscription] = (await stripe.subscriptions.list({ customer: customerId })).data;
    const item = subscription!.items.data[0]!;
    expect(tenancy.renewsAt, 'the end of the month just charged').toBe(iso(item.current_period_end));
    // One billing period (a month) after the period's start, whatever the month's length.
    const start = new Date(item.current_period_start * 1000);
    const monthOn = new Date(start);
    monthOn.setUTCMonth(start.getUTCMonth() + 1);
    expect(Math.abs(Date.parse(tenancy.renewsAt!) - monthOn.getTime()), 'a month after the start').toBeLessThanOrEqual(3 * 86_400_000);

    const listed = await twin.request('GET', '/tenancies', { token: tenant.token });
    expect((listed.json as { items: { tenancyId: string; renewsAt?: string }[] }).items.find((t) => t.tenancyId === tenancy.tenancyId)?.renewsAt).toBe(
      tenancy.renewsAt,
    );

    // A minute past the renewal's draft hour: Stripe invoices and charges the next month.
    const customer = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    const clockId = customer.test_clock as string;
    await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: item.current_period_end + 3_600 + 60 });
    await pollUntil(async () => (await stripe.testHelpers.testClocks.retrieve(clockId)).status === 'ready', {
      timeoutMs: 10_000,
      describeFailure: () => `test clock ${clockId} did not become ready`,
    });
    const renewed = (await stripe.subscriptions.retrieve(subscription!.id)).items.data[0]!;
    expect(renewed.current_period_end).toBeGreaterThan(item.current_period_end);

    const moved = await pollUntil(
      async () => {
        const res = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
        const now = TenancyResponse.parse(res.json);
        return now.renewsAt !== tenancy.renewsAt ? now : undefined;
      },
      { timeoutMs: 15_000, describeFailure: () => 'the next renewal never moved on after the renewal was paid' },
    );
    expect(moved.renewsAt, 'the end of the month the renewal paid for').toBe(iso(renewed.current_period_end));
    expect(moved.status).toBe('active');
  });
});
