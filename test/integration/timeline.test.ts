/**
 * A tenancy's timeline on the twin: every event recorded as it happens (in the same transaction as
 * its change, or keyed by the time the platform first recorded a payment), read back in one query,
 * oldest first, paged, with the tenant's invoice details kept from operators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimelineResponse } from '../../functions/api/schemas';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

/** A tenant's tenancy at one of operator X's car parks, set up and active. */
async function activeTenancy(email: string, plate: string) {
  const tenant = await signUp(twin, email);
  await addCard(twin, tenant);
  const carpark = await createCarpark(twin, cast.operatorX);
  const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId);
  return { tenant, tenancy };
}

async function timelineOf(caller: Actor, tenancyId: string, query = '') {
  const res = await twin.request('GET', `/tenancies/${tenancyId}/timeline${query}`, { token: caller.token });
  expect(res.status, res.text).toBe(200);
  return TimelineResponse.parse(res.json);
}

describe('a tenancy’s timeline', () => {
  it('records renting, paying, the barrier, a plate change and the cancellation in the order they happened', async () => {
    const { tenant, tenancy } = await activeTenancy('timeline.whole@test.example', 'TL11AAA');
    expect(tenancy.status).toBe('active');

    const changed = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { plate: 'TL22BBB' } });
    expect(changed.status, changed.text).toBe(202);
    const [plateChange] = twin.integrations.workflows.list('PlateChange').filter((e) => e.name.includes(tenancy.tenancyId));
    await twin.integrations.workflows.waitFor(plateChange!.executionArn, { timeoutMs: 20_000 });

    const cancelled = await twin.request('DELETE', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(cancelled.status, cancelled.text).toBe(202);
    const { tenancy: ended } = await settle(twin, tenant, tenancy.tenancyId, 'cancel');
    expect(ended.status).toBe('ended');

    const { items } = await timelineOf(tenant, tenancy.tenancyId);
    const times = items.map((e) => e.at);
    expect(times).toEqual([...times].sort());
    expect(items.every((e) => e.tenancyId === tenancy.tenancyId)).toBe(true);
    const kinds = items.map((e) => e.kind);
    // The payment is recorded when Stripe's event reaches us, which may be before or after activation.
    expect(kinds.filter((k) => k !== 'invoice_paid')).toEqual([
      'rented',
      'plate_registered',
      'activated',
      'plate_change_requested',
      'plate_changed',
      'plate_registered',
      'cancelled',
      // The cancellation ends the tenancy, then takes its plate off the barrier.
      'ended',
      'plate_revoked',
    ]);
    expect(kinds.filter((k) => k === 'invoice_paid')).toHaveLength(1);

    const byKind = (kind: string) => items.filter((e) => e.kind === kind);
    expect(byKind('rented')[0]).toMatchObject({ source: 'tenant', detail: { plate: 'TL11AAA', vehicleType: 'car', monthlyAmount: 10_000, currency: 'gbp' } });
    expect(byKind('plate_registered').map((e) => [e.source, e.detail?.plate])).toEqual([
      ['platform', 'TL11AAA'],
      ['platform', 'TL22BBB'],
    ]);
    expect(byKind('plate_changed')[0]?.detail).toEqual({ from: 'TL11AAA', to: 'TL22BBB' });
    expect(byKind('cancelled')[0]?.source).toBe('tenant');
    expect(byKind('invoice_paid')[0]).toMatchObject({ source: 'stripe', detail: { amount: 10_000, currency: 'gbp', invoiceId: expect.stringMatching(/^in_/) } });
  });

  it('is paged oldest first, and an operator sees the payment without the tenant’s invoice', async () => {
    const { tenant, tenancy } = await activeTenancy('timeline.pages@test.example', 'TL33CCC');
    const all = (await timelineOf(tenant, tenancy.tenancyId)).items;
    expect(all.length).toBeGreaterThanOrEqual(3);

    const paged = [];
    let cursor: string | undefined;
    do {
      const page = await timelineOf(tenant, tenancy.tenancyId, `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const seenByOperator = (await timelineOf(cast.operatorX, tenancy.tenancyId)).items;
    expect(seenByOperator.map((e) => e.kind)).toEqual(all.map((e) => e.kind));
    const paid = seenByOperator.find((e) => e.kind === 'invoice_paid');
    expect(paid?.detail).toEqual({ amount: 10_000, currency: 'gbp' });
    expect((await timelineOf(cast.admin, tenancy.tenancyId)).items.find((e) => e.kind === 'invoice_paid')?.detail).toHaveProperty('invoiceId');
  });

  it('records a cancellation once when two arrive together: the event is written only with the change that won', async () => {
    const { tenant, tenancy } = await activeTenancy('timeline.race@test.example', 'TL44DDD');

    const results = await Promise.all([tenant, tenant, cast.operatorX, cast.admin].map((who) => twin.request('DELETE', `/tenancies/${tenancy.tenancyId}`, { token: who.token })));
    expect(results.some((r) => r.status === 202)).toBe(true);
    for (const r of results) expect([202, 409], r.text).toContain(r.status);

    const { items } = await timelineOf(tenant, tenancy.tenancyId);
    expect(items.filter((e) => e.kind === 'cancelled')).toHaveLength(1);
  });
});
