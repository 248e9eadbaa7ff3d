/**
 * A tenancy booked to start on a later day: it holds its space and plate from the booking, but
 * nothing is billed and the barrier does not know the plate until its start date; then it is set
 * up (billed, registered, active) as any other. Cancelled before then it ends at once, with
 * nothing to give back to Stripe, and its setup, still waiting, stops when it wakes.
 * Driven through the twin with waits scaled as `npm start` scales them (a day passes in 2 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyResponse } from '../../functions/api/schemas';
import { MAX_START_AHEAD_DAYS } from '../../functions/domain/tenancies';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, settle, stripeOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ waitScale: 1 / 43_200 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const DAY_MS = 24 * 60 * 60 * 1000;
/** Midnight UTC, `days` from now, as the portal sends a chosen day. */
const daysAhead = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + days * DAY_MS).toISOString();

async function book(tenant: Actor, carparkId: string, plate: string, startDate: string) {
  const res = await twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId, vehicleType: 'car', plate, startDate } });
  expect(res.status, res.text).toBe(202);
  return TenancyResponse.parse((res.json as { tenancy: unknown }).tenancy);
}

const freeCarSpaces = async (carparkId: string) =>
  ((await twin.request('GET', `/carparks/${carparkId}`)).json as { spacesFree: { car: number } }).spacesFree.car;

async function invoicesOf(tenant: Actor) {
  const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string | null };
  return customerId ? (await stripeOf(twin).invoices.list({ customer: customerId })).data : [];
}

describe('a tenancy that starts on a later day', () => {
  it('holds its space but bills nothing and opens no barrier before its start, then starts as any tenancy', async () => {
    const tenant = await signUp(twin, 'starts-later@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Later Start Car Park' });
    const startDate = daysAhead(3);
    const free = await freeCarSpaces(carpark.carparkId);

    const booked = await book(tenant, carpark.carparkId, 'LS11AAA', startDate);
    expect(booked.status).toBe('scheduled');
    expect(booked.startDate).toBe(startDate);
    const seen = TenancyResponse.parse((await twin.request('GET', `/tenancies/${booked.tenancyId}`, { token: tenant.token })).json);
    expect(seen.status, 'still waiting for its day').toBe('scheduled');
    expect(await freeCarSpaces(carpark.carparkId), 'the space is held from the booking').toBe(free - 1);
    expect(await billedQuantities(twin, tenant), 'nothing billed before the start').toEqual({});
    expect(await invoicesOf(tenant), 'nothing charged before the start').toEqual([]);
    expect(whitelist(twin, carpark.siteId), 'the barrier does not know the plate yet').toEqual([]);
    // Its plate is claimed from the booking: nobody else can book it at this barrier meanwhile.
    const other = await signUp(twin, 'starts-later-other@test.example');
    await addCard(twin, other);
    const taken = await twin.request('POST', '/tenancies', {
      token: other.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'LS11AAA' },
    });
    expect(taken.status, taken.text).toBe(409);

    const { tenancy, execution } = await settle(twin, tenant, booked.tenancyId);
    expect(execution.status).toBe('SUCCEEDED');
    expect(tenancy.status).toBe('active');
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([1]);
    const [first] = await invoicesOf(tenant);
    expect(first?.status, 'the first month is charged at the start').toBe('paid');
    const [registration] = twin.integrations.smartParking.whitelist(carpark.siteId);
    expect(registration?.plate).toBe('LS11AAA');
    expect(registration?.validFrom, 'the barrier opens from the start date').toBe(startDate);
    expect(await freeCarSpaces(carpark.carparkId)).toBe(free - 1);
  });

  it('ends at once when cancelled before its start, gives its space and plate back, and is never billed', async () => {
    const tenant = await signUp(twin, 'cancel-before-start@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorY, { name: 'Cancelled Booking Car Park' });
    const free = await freeCarSpaces(carpark.carparkId);
    const booked = await book(tenant, carpark.carparkId, 'CB22BBB', daysAhead(2));
    expect(booked.status).toBe('scheduled');

    const cancelled = await twin.request('DELETE', `/tenancies/${booked.tenancyId}`, { token: tenant.token });
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    const ended = TenancyResponse.parse(cancelled.json);
    expect(ended.status).toBe('ended');
    expect(ended.endsAt).toBeDefined();
    expect(await freeCarSpaces(carpark.carparkId), 'the space is back at once').toBe(free);

    // The setup, waiting for the start date, wakes and stops without touching anything.
    const { tenancy, execution } = await settle(twin, tenant, booked.tenancyId);
    expect(execution.status).toBe('SUCCEEDED');
    expect(tenancy.status).toBe('ended');
    expect(await billedQuantities(twin, tenant)).toEqual({});
    expect(await invoicesOf(tenant)).toEqual([]);
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    expect(await freeCarSpaces(carpark.carparkId)).toBe(free);

    // A second cancellation says it is over; the plate is free to book again.
    const again = await twin.request('DELETE', `/tenancies/${booked.tenancyId}`, { token: tenant.token });
    expect(again.status, again.text).toBe(409);
    const rebooked = await book(tenant, carpark.carparkId, 'CB22BBB', daysAhead(1));
    expect(rebooked.status).toBe('scheduled');
  });

  it(`refuses a start more than ${MAX_START_AHEAD_DAYS} days ahead, naming the field`, async () => {
    const tenant = await signUp(twin, 'too-far-ahead@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX, { name: 'Far Ahead Car Park' });
    const free = await freeCarSpaces(carpark.carparkId);
    const res = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'FA33CCC', startDate: daysAhead(MAX_START_AHEAD_DAYS + 2) },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.text).toContain('startDate');
    expect(await freeCarSpaces(carpark.carparkId)).toBe(free);
  });
});
