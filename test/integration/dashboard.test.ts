/**
 * The operator's dashboard on the twin: figures kept by the transactions that change what they
 * count (spaces, churn, monthly recurring revenue) and by one marked transaction per invoice
 * (revenue, failed payments, arrears, recovery), read back through GET /operators/{id}/dashboard,
 * and unchanged when Stripe's events are delivered again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardResponse } from '../../functions/api/schemas';
import { paymentDeps } from '../../functions/adapters/wiring/payments';
import { recordInvoicePaid } from '../../functions/domain/payments';
import { checkStats, indexStats, rebuildStats } from '../../bin/stats';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { db, TableName } from '../../functions/adapters/dynamodb/table';
import { statsStore } from '../../functions/adapters/dynamodb/stats-store';
import { pollUntil } from '../../local/ports';
import { whileSending } from '../support/table-commands';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, renewalLeftOpen, rent, settle, stripeOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

async function dashboardOf(caller: Actor, operatorId: string, carparkId?: string) {
  const res = await twin.request('GET', `/operators/${operatorId}/dashboard${carparkId ? `?carparkId=${carparkId}` : ''}`, { token: caller.token });
  expect(res.status, res.text).toBe(200);
  return DashboardResponse.parse(res.json);
}

/** The whole operator's dashboard (its own counters) equals its car parks' dashboards (theirs) added up. */
async function expectTheSumOfItsCarparks(operator: Cast['operatorX']) {
  // Read between two equal reads of the whole: every counted change moves the whole too, so the
  // parts are of the same moment (a straggling event, a late receipt's revenue, cannot fall between).
  const { whole, parts } = await pollUntil(
    async () => {
      const before = await dashboardOf(operator, operator.operatorId);
      const parts = await Promise.all(before.carparks.map((c) => dashboardOf(operator, operator.operatorId, c.carparkId)));
      const after = await dashboardOf(operator, operator.operatorId);
      return JSON.stringify(before) === JSON.stringify(after) ? { whole: after, parts } : undefined;
    },
    { timeoutMs: 10_000, describeFailure: () => 'the operator’s figures kept changing' },
  );
  expect(parts.length).toBeGreaterThanOrEqual(1);
  const add = (pick: (d: (typeof parts)[number]) => number | undefined) => parts.reduce((n, d) => n + (pick(d) ?? 0), 0);
  const perType = (counts: Record<string, number>, pick: (d: (typeof parts)[number]) => Record<string, number>) =>
    Object.fromEntries(Object.keys(counts).map((t) => [t, add((d) => pick(d)[t])]));
  expect(whole.now.mrr).toBe(add((d) => d.now.mrr));
  expect(whole.now.occupied).toEqual(perType(whole.now.occupied, (d) => d.now.occupied));
  // Arrears: the parts of an invoice add up; an invoice at two car parks is one invoice.
  expect(whole.now.arrears.amount).toBe(add((d) => d.now.arrears.amount));
  expect(whole.now.arrears.count).toBeLessThanOrEqual(add((d) => d.now.arrears.count));
  expect(whole.now.arrears.count).toBeGreaterThanOrEqual(Math.max(0, ...parts.map((d) => d.now.arrears.count)));
  expect(whole.now.arrears.oldestSince).toBe(parts.map((d) => d.now.arrears.oldestSince).filter((d) => d !== null).sort()[0] ?? null);
  whole.months.forEach((m, i) => {
    expect(m, m.month).toEqual({
      month: m.month,
      occupied: perType(m.occupied, (d) => d.months[i]!.occupied),
      revenue: add((d) => d.months[i]!.revenue),
      ended: add((d) => d.months[i]!.ended),
      paymentsFailed: add((d) => d.months[i]!.paymentsFailed),
      paymentsRecovered: add((d) => d.months[i]!.paymentsRecovered),
    });
  });
  return whole;
}

/** The car park of the first test, whose figures the last one tampers with. */
let dashboardStreet = '';

const thisMonth = () => new Date().toISOString().slice(0, 7);

describe('the operator dashboard', () => {
  it('counts spaces, monthly recurring revenue, revenue collected and churn as tenancies come and go', async () => {
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Dashboard Street' });
    dashboardStreet = carpark.carparkId;
    const tenancies = [];
    for (const [email, plate] of [
      ['dash.one@test.example', 'DB11AAA'],
      ['dash.two@test.example', 'DB22BBB'],
    ] as const) {
      const tenant = await signUp(twin, email);
      await addCard(twin, tenant);
      tenancies.push({ tenant, ...(await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId)) });
    }
    const settledRevenue = await pollUntil(
      async () => {
        const d = await dashboardOf(cast.operatorX, cast.operatorX.operatorId, carpark.carparkId);
        return d.months.at(-1)!.revenue === 20_000 ? d : undefined;
      },
      { timeoutMs: 15_000, describeFailure: () => 'the two first invoices were never counted as revenue' },
    );
    expect(settledRevenue).toMatchObject({
      carparkId: carpark.carparkId,
      currency: 'gbp',
      carparks: [{ carparkId: carpark.carparkId, name: 'Dashboard Street' }],
      now: { occupied: { car: 2, motorcycle: 0, van: 0, ev: 0 }, capacity: { car: 10, motorcycle: 2 }, mrr: 20_000, arrears: { count: 0, amount: 0, oldestSince: null }, recoveryRate: null },
    });
    expect(settledRevenue.months).toHaveLength(12);
    expect(settledRevenue.months.at(-1)).toMatchObject({ month: thisMonth(), occupied: { car: 2 }, ended: 0 });
    // Before this car park took anyone, it held nothing.
    expect(settledRevenue.months.at(-2)?.occupied.car).toBe(0);

    // Stripe delivers a paid invoice again: its revenue is not counted twice.
    const { customerId } = (await twin.request('GET', '/billing', { token: tenancies[0]!.tenant.token })).json as { customerId: string };
    const [invoice] = (await stripeOf(twin).invoices.list({ customer: customerId, status: 'paid' })).data;
    expect(await recordInvoicePaid(paymentDeps, { invoiceId: invoice!.id!, customerId })).toBe('sent_already');
    expect((await dashboardOf(cast.operatorX, cast.operatorX.operatorId, carpark.carparkId)).months.at(-1)!.revenue).toBe(20_000);

    // One tenant leaves: a space back, a month's churn, less recurring revenue.
    const [leaving] = tenancies;
    expect((await twin.request('DELETE', `/tenancies/${leaving!.tenancy.tenancyId}`, { token: leaving!.tenant.token })).status).toBe(202);
    expect((await settle(twin, leaving!.tenant, leaving!.tenancy.tenancyId, 'cancel')).tenancy.status).toBe('ended');
    const after = await dashboardOf(cast.operatorX, cast.operatorX.operatorId, carpark.carparkId);
    expect(after.now).toMatchObject({ occupied: { car: 1 }, mrr: 10_000 });
    expect(after.months.at(-1)).toMatchObject({ occupied: { car: 1 }, ended: 1, revenue: 20_000 });

    // The whole operator, from its own counters, adds this car park to its others.
    const whole = await dashboardOf(cast.operatorX, cast.operatorX.operatorId);
    expect(whole.carparkId).toBeUndefined();
    expect(whole.carparks.map((c) => c.carparkId)).toContain(carpark.carparkId);
    expect(whole.now.mrr).toBeGreaterThanOrEqual(10_000);
    expect(whole.months.at(-1)!.ended).toBeGreaterThanOrEqual(1);
    await expectTheSumOfItsCarparks(cast.operatorX);
  });

  it('shows a failed renewal as arrears and, once a new card pays it, as recovered', async () => {
    const { tenant, tenancy, invoiceId } = await renewalLeftOpen(twin, cast.operatorY, 'dash.arrears@test.example', 'DB33CCC', 'pm_card_chargeCustomerFail');
    const open = await pollUntil(
      async () => {
        const d = await dashboardOf(cast.operatorY, cast.operatorY.operatorId, tenancy.carparkId);
        return d.now.arrears.count === 1 ? d : undefined;
      },
      { timeoutMs: 15_000, describeFailure: () => 'the failed renewal never showed as arrears' },
    );
    expect(open.now.arrears).toEqual({ count: 1, amount: 10_000, oldestSince: expect.any(String) });
    expect(open.months.at(-1)).toMatchObject({ paymentsFailed: 1, paymentsRecovered: 0 });
    expect(open.now.recoveryRate).toBe(0);

    expect((await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_visa' } })).status).toBe(200);
    const recovered = await pollUntil(
      async () => {
        const d = await dashboardOf(cast.operatorY, cast.operatorY.operatorId, tenancy.carparkId);
        return d.now.arrears.count === 0 ? d : undefined;
      },
      { timeoutMs: 15_000, describeFailure: () => 'the paid invoice never left the arrears' },
    );
    expect(recovered.months.at(-1)).toMatchObject({ paymentsFailed: 1, paymentsRecovered: 1 });
    expect(recovered.now.recoveryRate).toBe(1);
    expect((await stripeOf(twin).invoices.retrieve(invoiceId)).status).toBe('paid');
    const whole = await expectTheSumOfItsCarparks(cast.operatorY);
    expect(whole.now.arrears.count).toBe(0);
    expect(whole.months.at(-1)).toMatchObject({ paymentsFailed: 1, paymentsRecovered: 1 });
  });

  it('is the operator’s own: another operator is told it does not exist, even naming its car park', async () => {
    expect((await twin.request('GET', `/operators/${cast.operatorX.operatorId}/dashboard`, { token: cast.operatorY.token })).status).toBe(404);
    const res = await twin.request('GET', `/operators/${cast.operatorY.operatorId}/dashboard?carparkId=${cast.operatorX.carparkId}`, { token: cast.operatorY.token });
    expect(res.status, res.text).toBe(404);
  });

  it('equals a full recount, and a counter gone wrong is found and rebuilt from the recount', async () => {
    expect(await checkStats()).toEqual(new Map());
    const street = () => dashboardOf(cast.operatorX, cast.operatorX.operatorId, dashboardStreet);
    const whole = () => dashboardOf(cast.operatorX, cast.operatorX.operatorId);
    const before = { street: await street(), whole: await whole() };
    expect(before.street.now.mrr).toBeGreaterThan(0);

    // A counter drifts (a bug, a hand edit): the check names it.
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.statsMonth(cast.operatorX.operatorId, dashboardStreet, thisMonth()),
        UpdateExpression: 'ADD revenue :drift',
        ExpressionAttributeValues: { ':drift': 123 },
      }),
    );
    // So does the operator's own month, which the whole operator's dashboard reads.
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.statsOperatorMonth(cast.operatorX.operatorId, thisMonth()),
        UpdateExpression: 'ADD ended :drift',
        ExpressionAttributeValues: { ':drift': 2 },
      }),
    );
    expect((await whole()).months.at(-1)!.ended).toBe(before.whole.months.at(-1)!.ended + 2);
    // A total written before counters were indexed beside the car parks: the car park's dashboard cannot see it.
    const unindex = () =>
      db().send(new UpdateCommand({ TableName: TableName(), Key: keys.statsTotals(cast.operatorX.operatorId, dashboardStreet), UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }));
    await unindex();
    expect((await street()).now.mrr).toBe(0);
    // Indexing it in place, while the counters are in use, shows it again.
    expect(await indexStats()).toBe(1);
    expect((await street()).now.mrr).toBe(before.street.now.mrr);
    expect(await indexStats()).toBe(0);
    await unindex();
    const found = await checkStats();
    expect([...found.keys()]).toEqual([cast.operatorX.operatorId]);
    expect(found.get(cast.operatorX.operatorId)).toEqual([
      `${dashboardStreet} ${thisMonth()} revenue: counted ${before.street.months.at(-1)!.revenue + 123}, recounted ${before.street.months.at(-1)!.revenue}`,
      `operator ${thisMonth()} ended: counted ${before.whole.months.at(-1)!.ended + 2}, recounted ${before.whole.months.at(-1)!.ended}`,
      '1 counter item(s) without the operator\'s index keys, which the dashboard does not read: `npm run stats -- --index` adds them',
    ]);

    expect(await rebuildStats()).toBeGreaterThanOrEqual(2);
    expect(await checkStats()).toEqual(new Map());
    expect(await whole()).toEqual(before.whole);
    expect(await street()).toEqual(before.street);
  });

  // Last: its invoices are the statistics' alone (no timeline tells them), which a recount would not find.
  it('counts an invoice at two car parks of one operator and one of another: the operator by their sum, its arrears once, each fact once however often reported', async () => {
    const [north, south] = [await createCarpark(twin, cast.operatorX, { name: 'Split North' }), await createCarpark(twin, cast.operatorX, { name: 'Split South' })];
    const elsewhere = await createCarpark(twin, cast.operatorY, { name: 'Split Elsewhere' });
    const [x, y] = [cast.operatorX, cast.operatorY];
    const wholeOf = (o: typeof x) => dashboardOf(o, o.operatorId);
    const before = { x: await wholeOf(x), y: await wholeOf(y) };
    const since = new Date().toISOString();
    const parts = [
      { operatorId: x.operatorId, carparkId: north.carparkId, amount: 10_000 },
      { operatorId: x.operatorId, carparkId: south.carparkId, amount: 5_000 },
      { operatorId: y.operatorId, carparkId: elsewhere.carparkId, amount: 7_000 },
    ];
    const thisMonthOf = (d: Awaited<ReturnType<typeof wholeOf>>) => d.months.at(-1)!;

    // Failed, and reported twice.
    for (const _ of [1, 2]) await statsStore.recordPaymentFailed('in_split_failed', since, since, parts);
    const open = { x: await expectTheSumOfItsCarparks(x), y: await expectTheSumOfItsCarparks(y) };
    expect(open.x.now.arrears).toEqual({ count: before.x.now.arrears.count + 1, amount: before.x.now.arrears.amount + 15_000, oldestSince: before.x.now.arrears.oldestSince ?? since });
    expect(open.y.now.arrears.amount).toBe(before.y.now.arrears.amount + 7_000);
    // Once per car park, as the car parks count it.
    expect(thisMonthOf(open.x).paymentsFailed).toBe(thisMonthOf(before.x).paymentsFailed + 2);
    expect(thisMonthOf(open.y).paymentsFailed).toBe(thisMonthOf(before.y).paymentsFailed + 1);

    // Paid, and reported twice: out of the arrears, recovered where it failed.
    for (const _ of [1, 2]) await statsStore.recordSettled('in_split_failed', true);
    const settled = { x: await expectTheSumOfItsCarparks(x), y: await expectTheSumOfItsCarparks(y) };
    expect(settled.x.now.arrears).toEqual(before.x.now.arrears);
    expect(settled.y.now.arrears).toEqual(before.y.now.arrears);
    expect(thisMonthOf(settled.x).paymentsRecovered).toBe(thisMonthOf(before.x).paymentsRecovered + 2);
    expect(thisMonthOf(settled.y).paymentsRecovered).toBe(thisMonthOf(before.y).paymentsRecovered + 1);

    // Another invoice paid, reported twice: its revenue once, each operator its car parks' parts.
    for (const _ of [1, 2]) await statsStore.recordRevenue('in_split_paid', since, parts);
    const paid = { x: await expectTheSumOfItsCarparks(x), y: await expectTheSumOfItsCarparks(y) };
    expect(thisMonthOf(paid.x).revenue).toBe(thisMonthOf(before.x).revenue + 15_000);
    expect(thisMonthOf(paid.y).revenue).toBe(thisMonthOf(before.y).revenue + 7_000);
  });

  it('reads neither the car parks’ nor the operator’s own months from before the year it shows, however many years there are', async () => {
    const operator = cast.operatorX;
    const carpark = await createCarpark(twin, operator, { name: 'Long Standing' });
    // Revenue three years back leaves a month of the car park and one of the operator.
    const longAgo = `${Number(thisMonth().slice(0, 4)) - 3}-01`;
    await statsStore.recordRevenue('in_long_ago', `${longAgo}-15T12:00:00.000Z`, [{ operatorId: operator.operatorId, carparkId: carpark.carparkId, amount: 1_000 }]);

    const sortKeysRead = async (carparkId?: string) => {
      const items: Record<string, unknown>[] = [];
      await whileSending(() => dashboardOf(operator, operator.operatorId, carparkId), {
        after: (command, output) => void (command === 'QueryCommand' && items.push(...((output.Items as Record<string, unknown>[] | undefined) ?? []))),
      });
      return items.map((i) => String(i.sk));
    };
    const whole = await sortKeysRead();
    const one = await sortKeysRead(carpark.carparkId);
    expect(whole).not.toContain(`operator#month#${longAgo}`);
    expect(one).not.toContain(`operator#month#${longAgo}`);
    expect(one).not.toContain(`month#${longAgo}#${carpark.carparkId}`);
    // What each does read: the whole operator's own months, a car park's its car parks' months.
    expect(whole.some((sk) => sk.startsWith('operator#month#')) && !whole.some((sk) => /^month#/.test(sk))).toBe(true);
    expect(one.some((sk) => sk.startsWith(`month#${thisMonth()}#`)) && !one.some((sk) => sk.startsWith('operator#month#'))).toBe(true);
  });
});
