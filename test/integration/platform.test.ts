/**
 * The admin's platform view on the twin: the operators by name, a page at a time, and the totals
 * across every operator, kept apart per currency, equal to the operators' own dashboards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardResponse, OperatorListResponse, PlatformDashboardResponse } from '../../functions/api/schemas';
import { pollUntil } from '../../local/ports';
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

async function get(caller: Actor, path: string) {
  const res = await twin.request('GET', path, { token: caller.token });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function createOperator(name: string) {
  const res = await twin.request('POST', '/operators', { token: cast.admin.token, body: { name, contactEmail: `${name.replace(/\W/g, '').toLowerCase()}@test.example` } });
  expect(res.status, res.text).toBe(201);
  return res.json as { operatorId: string };
}

describe('the operator list', () => {
  it('finds operators by the start of their name in any case, in name order, a page at a time', async () => {
    const harbourView = await createOperator('harbour View Parking');
    const harbourGate = await createOperator('Harbour Gate');
    await createOperator('Zeta Spaces');

    const found = OperatorListResponse.parse(await get(cast.admin, '/operators?name=HARBOUR'));
    expect(found.items.map((o) => o.operatorId)).toEqual([harbourGate.operatorId, harbourView.operatorId]);
    expect(found.nextCursor).toBeUndefined();

    // Every operator, one page at a time: each once, in name order.
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = OperatorListResponse.parse(await get(cast.admin, `/operators?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((o) => o.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['Harbour Gate', 'harbour View Parking', 'Xpark', 'Ypark', 'Zeta Spaces']);
  });

  it('is refused to anyone but an admin', async () => {
    for (const caller of [cast.tenantA, cast.operatorX]) {
      const res = await twin.request('GET', '/operators', { token: caller.token });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});

describe('the platform totals', () => {
  it('add up every operator’s dashboard, per currency, and rank the operators by recurring revenue', async () => {
    // Operator X lets two spaces in pounds, operator Y one in euros.
    const pounds = await createCarpark(twin, cast.operatorX, { name: 'Pound Lane' });
    const euros = await createCarpark(twin, cast.operatorY, { name: 'Euro Quay', currency: 'eur' });
    for (const [email, carparkId, plate] of [
      ['plat.one@test.example', pounds.carparkId, 'PL11AAA'],
      ['plat.two@test.example', pounds.carparkId, 'PL22BBB'],
      ['plat.three@test.example', euros.carparkId, 'PL33CCC'],
    ] as const) {
      const tenant = await signUp(twin, email);
      await addCard(twin, tenant);
      expect((await settle(twin, tenant, (await rent(twin, tenant, carparkId, plate)).tenancyId)).tenancy.status).toBe('active');
    }
    const dashboardX = DashboardResponse.parse(await get(cast.operatorX, `/operators/${cast.operatorX.operatorId}/dashboard`));
    const dashboardY = DashboardResponse.parse(await get(cast.operatorY, `/operators/${cast.operatorY.operatorId}/dashboard`));

    // Revenue is counted as the invoices' events arrive: wait until all three first months are in.
    const platform = await pollUntil(
      async () => {
        const p = PlatformDashboardResponse.parse(await get(cast.admin, '/platform/dashboard'));
        const collected = p.currencies.reduce((n, c) => n + c.months.at(-1)!.revenue, 0);
        return collected === 3 * 10_000 ? p : undefined;
      },
      { timeoutMs: 15_000, describeFailure: () => 'the three first invoices never reached the platform totals' },
    );

    expect(platform.operators).toBe(5);
    // The cast's two car parks, Pound Lane and Euro Quay.
    expect(platform.carparks).toBe(4);
    expect(platform.currencies.map((c) => c.currency)).toEqual(['eur', 'gbp']);
    const gbp = platform.currencies.find((c) => c.currency === 'gbp')!;
    const eur = platform.currencies.find((c) => c.currency === 'eur')!;
    // Pounds: all of operator X, and operator Y's car park that is not in euros.
    expect(gbp.now.occupied.car).toBe(2);
    expect(gbp.now.mrr).toBe(20_000);
    expect(eur).toMatchObject({ carparks: 1, now: { occupied: { car: 1 }, mrr: 10_000 } });
    expect(gbp.now.mrr + eur.now.mrr).toBe(dashboardX.now.mrr + dashboardY.now.mrr);
    expect(gbp.now.capacity.car! + eur.now.capacity.car!).toBe(dashboardX.now.capacity.car! + dashboardY.now.capacity.car!);
    expect(gbp.months).toHaveLength(12);

    expect(platform.byOperator).toEqual([
      expect.objectContaining({ operatorId: cast.operatorY.operatorId, currency: 'eur', carparks: 1, occupied: 1, mrr: 10_000, revenue: 10_000 }),
      expect.objectContaining({ operatorId: cast.operatorX.operatorId, currency: 'gbp', carparks: 2, occupied: 2, mrr: 20_000, revenue: 20_000 }),
      expect.objectContaining({ operatorId: cast.operatorY.operatorId, currency: 'gbp', carparks: 1, occupied: 0, mrr: 0 }),
    ]);
    // Operators without car parks have no row; they are still counted.
    expect(platform.byOperator.map((o) => o.name)).not.toContain('Zeta Spaces');
  });
});
