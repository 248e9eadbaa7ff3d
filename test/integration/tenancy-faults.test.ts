/**
 * Tenancies set up while SmartParking fails 30% of calls (and sometimes hangs) and Stripe
 * answers 500 to a share of requests, some of them after acting: every tenancy still ends up
 * active or cleanly failed, Stripe holds no duplicates, and what is billed, whitelisted and
 * occupied agrees with the tenancies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('setting up tenancies while SmartParking and Stripe misbehave', () => {
  it('leaves no tenancy pending, no duplicate Stripe object and nothing half-done', { timeout: 120_000 }, async () => {
    const tenants = await Promise.all([signUp(twin, 'fault.a@test.example'), signUp(twin, 'fault.b@test.example')]);
    for (const tenant of tenants) await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { capacity: { car: 20, motorcycle: 5 } });

    twin.integrations.smartParking.faults.set({ failureRate: 0.3, timeoutRate: 0.03, seed: 7 });
    // Half of the injected Stripe failures happen after Stripe acted: only idempotency saves us.
    twin.integrations.stripe.faults.failRate(0.15, { pathPrefix: '/v1/subscription', when: 'before' });
    twin.integrations.stripe.faults.failRate(0.15, { pathPrefix: '/v1/subscription', when: 'after' });

    const created = [];
    for (let i = 0; i < 12; i++) {
      const tenant = tenants[i % 2]!;
      created.push({ tenant, tenancy: await rent(twin, tenant, carpark.carparkId, `FT${String(i).padStart(2, '0')}ABC`, i % 4 === 3 ? 'motorcycle' : 'car') });
    }
    const settled = await Promise.all(created.map(({ tenant, tenancy }) => settle(twin, tenant, tenancy.tenancyId)));
    // The faults really happened (else this test would prove nothing).
    const barrierFaults = twin.integrations.smartParking.calls().filter((c) => c.fault !== 'none').length;
    expect(barrierFaults).toBeGreaterThan(0);
    expect(twin.integrations.stripe.faults.injected.error).toBeGreaterThan(0);
    twin.integrations.smartParking.faults.clear();
    twin.integrations.stripe.faults.clear();

    const statuses = settled.map((s) => s.tenancy.status);
    expect(statuses.every((s) => s === 'active' || s === 'failed'), statuses.join()).toBe(true);
    expect(settled.filter((s) => s.execution.status !== 'SUCCEEDED')).toEqual([]);

    // Stripe: one customer and at most one subscription per tenant; quantities = active tenancies.
    const stripe = stripeOf(twin);
    for (const tenant of tenants) {
      expect((await stripe.customers.list({ email: tenant.email })).data).toHaveLength(1);
      const active = settled.filter((s) => s.tenancy.userId === tenant.userId && s.tenancy.status === 'active');
      const expected: Record<string, number> = {};
      for (const { tenancy } of active) expected[tenancy.priceId] = (expected[tenancy.priceId] ?? 0) + 1;
      expect(await billedQuantities(twin, tenant)).toEqual(expected);
    }

    // Barrier: exactly the active tenancies' plates. Car park: exactly their spaces.
    const active = settled.filter((s) => s.tenancy.status === 'active').map((s) => s.tenancy);
    expect(whitelist(twin, carpark.siteId)).toEqual(active.map((t) => t.plate).sort());
    const free = (await twin.request('GET', `/carparks/${carpark.carparkId}`)).json as { spacesFree: { car: number; motorcycle: number } };
    expect(free.spacesFree.car).toBe(20 - active.filter((t) => t.vehicleType === 'car').length);
    expect(free.spacesFree.motorcycle).toBe(5 - active.filter((t) => t.vehicleType === 'motorcycle').length);
    // Failed ones say why.
    for (const { tenancy } of settled.filter((s) => s.tenancy.status === 'failed')) expect(tenancy.failureReason).toBeTruthy();
  });
});
