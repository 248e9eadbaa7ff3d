/**
 * The tenancy lifecycle through the API and the real state machine definitions, asserting on
 * what the Stripe stand-in, the SmartParking simulator and the outbox hold afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, rent, settle, stripeOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const carparkPrices = async (carparkId: string) => {
  const { carparkRepository } = await import('../../functions/adapters/dynamodb/repositories');
  return (await carparkRepository.get(carparkId))!.stripePrices!;
};

describe('the billing lifecycle of one tenant', () => {
  let tenant: Actor;
  let carpark: { carparkId: string; siteId: string };
  let prices: Record<string, string>;
  const tenancies: string[] = [];

  beforeAll(async () => {
    tenant = await signUp(twin, 'lifecycle@test.example');
    await addCard(twin, tenant);
    carpark = await createCarpark(twin, cast.operatorX);
    prices = await carparkPrices(carpark.carparkId);
  });

  it('first tenancy: creates the subscription, whitelists the plate, activates and emails', async () => {
    const pending = await rent(twin, tenant, carpark.carparkId, 'ab12 cde');
    expect(pending).toMatchObject({ status: 'pending', plate: 'AB12CDE', barrier: { status: 'pending' } });
    const { tenancy } = await settle(twin, tenant, pending.tenancyId);
    tenancies.push(tenancy.tenancyId);

    expect(tenancy).toMatchObject({ status: 'active', barrier: { status: 'registered' } });
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 1 });
    expect(whitelist(twin, carpark.siteId)).toEqual(['AB12CDE']);
    const invoices = await stripeOf(twin).invoices.list({ customer: (await twin.request('GET', '/billing', { token: tenant.token }).then((r) => r.json as { customerId: string })).customerId });
    expect(invoices.data.some((i) => i.status === 'paid' && i.amount_paid === 10_000)).toBe(true);
    await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('is ready'), 5000);
  });

  it('another tenancy of a type already billed: raises that item’s quantity', async () => {
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'CD34EFG')).tenancyId);
    tenancies.push(tenancy.tenancyId);
    expect(tenancy.status).toBe('active');
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 2 });
  });

  it('a tenancy of a new type: adds a subscription item', async () => {
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'EF56GHJ', 'motorcycle')).tenancyId);
    tenancies.push(tenancy.tenancyId);
    expect(tenancy.status).toBe('active');
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 2, [prices.motorcycle!]: 1 });
    expect(whitelist(twin, carpark.siteId)).toEqual(['AB12CDE', 'CD34EFG', 'EF56GHJ']);
  });

  it('cancelling: lowers the quantity at the end of the period, revokes the plate, frees the space', async () => {
    const res = await twin.request('DELETE', `/tenancies/${tenancies[0]}`, { token: tenant.token });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: 'cancelling' });
    const { tenancy } = await settle(twin, tenant, tenancies[0]!, 'cancel');
    expect(tenancy).toMatchObject({ status: 'ended', barrier: { status: 'revoked' } });
    expect(tenancy.endsAt).toBeDefined();
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 1, [prices.motorcycle!]: 1 });
    expect(whitelist(twin, carpark.siteId)).toEqual(['CD34EFG', 'EF56GHJ']);
    const listed = await twin.request('GET', `/carparks/${carpark.carparkId}`);
    expect(listed.json).toMatchObject({ spacesFree: { car: 9, motorcycle: 1 } });
  });

  it('cancelling the last of a type: removes its item', async () => {
    await twin.request('DELETE', `/tenancies/${tenancies[2]}`, { token: tenant.token });
    await settle(twin, tenant, tenancies[2]!, 'cancel');
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 1 });
  });

  it('cancelling the last tenancy: cancels the subscription', async () => {
    await twin.request('DELETE', `/tenancies/${tenancies[1]}`, { token: tenant.token });
    await settle(twin, tenant, tenancies[1]!, 'cancel');
    expect(await billedQuantities(twin, tenant)).toEqual({});
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('has ended'), 5000);
  });
});

describe('setting up a tenancy that cannot be paid', () => {
  it('fails with a reason, gives the space back and leaves nothing billed or whitelisted', async () => {
    const tenant = await signUp(twin, 'declined@test.example');
    await addCard(twin, tenant, 'pm_card_chargeCustomerFail');
    const carpark = await createCarpark(twin, cast.operatorY);
    const { tenancy, execution } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'GH78JKL')).tenancyId);

    expect(execution.status).toBe('SUCCEEDED');
    expect(tenancy.status).toBe('failed');
    expect(tenancy.failureReason).toMatch(/card was declined/);
    expect(await billedQuantities(twin, tenant)).toEqual({});
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json).toMatchObject({ spacesFree: { car: 10 } });
    // The plate is free again at that car park.
    await addCard(twin, tenant, 'pm_card_visa');
    const retried = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'GH78JKL')).tenancyId);
    expect(retried.tenancy.status).toBe('active');
  });
});

describe('taking a space', () => {
  it('needs a card on file first', async () => {
    const tenant = await signUp(twin, 'nocard@test.example');
    const res = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: cast.operatorX.carparkId, vehicleType: 'car', plate: 'AB12CDE' },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'payment_method_required' } });
  });

  it('normalises the plate, warns about look-alike characters and refuses an invalid one', async () => {
    const tenant = await signUp(twin, 'plates@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const res = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'bo51-xyz' },
    });
    expect(res.status).toBe(202);
    const body = res.json as { tenancy: { plate: string }; warnings: { position: number }[] };
    expect(body.tenancy.plate).toBe('BO51XYZ');
    // B/8, O/0, 5/S and 1/I can each be misread.
    expect(body.warnings.map((w) => w.position)).toEqual([1, 2, 3, 4]);

    const invalid = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: '!!!' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ error: { details: [{ path: 'plate' }] } });
  });

  it('refuses a plate that already has a live tenancy at that car park', async () => {
    const tenant = await signUp(twin, 'sameplate@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    await rent(twin, tenant, carpark.carparkId, 'JK12LMN');
    const again = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'jk12 lmn' },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'plate_in_use' } });
  });

  it('never oversells the last space: of 50 concurrent requests exactly one wins', async () => {
    const tenant = await signUp(twin, 'race@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorY, { prices: { van: 20_000 }, capacity: { van: 1 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        twin.request('POST', '/tenancies', {
          token: tenant.token,
          body: { carparkId: carpark.carparkId, vehicleType: 'van', plate: `VN${String(i).padStart(2, '0')}ABC` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.status === 409).every((r) => (r.json as { error: { code: string } }).error.code === 'carpark_full')).toBe(true);
    const winner = results.find((r) => r.status === 202)!.json as { tenancy: { tenancyId: string } };
    await settle(twin, tenant, winner.tenancy.tenancyId);
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json).toMatchObject({ spacesFree: { van: 0 } });
  });
});

describe('changing the plate', () => {
  it('whitelists the new plate before revoking the old one', async () => {
    const tenant = await signUp(twin, 'newplate@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'LM12NOP')).tenancyId);
    twin.integrations.smartParking.clearCalls();

    const res = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { plate: 'QR34 STU' } });
    expect(res.status, res.text).toBe(202);
    const [execution] = twin.integrations.workflows.list('PlateChange');
    await twin.integrations.workflows.waitFor(execution!.executionArn, { timeoutMs: 20_000 });

    expect(whitelist(twin, carpark.siteId)).toEqual(['QR34STU']);
    const calls = twin.integrations.smartParking.calls().map((c) => `${c.method} ${c.path.split('/').pop()}`);
    expect(calls.indexOf('PUT QR34STU')).toBeLessThan(calls.indexOf('DELETE LM12NOP'));
    const after = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(after.json).toMatchObject({ plate: 'QR34STU', barrier: { status: 'registered' } });
    expect(after.json).not.toHaveProperty('pendingPlate');
  });
});

describe('who sees tenancies', () => {
  it('shows a tenant their own, an operator their car park’s, and hides the rest as not found', async () => {
    const tenant = await signUp(twin, 'seer@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'ST12UVW')).tenancyId);

    const own = await twin.request('GET', '/tenancies', { token: tenant.token });
    expect((own.json as { items: { tenancyId: string }[] }).items.map((t) => t.tenancyId)).toEqual([tenancy.tenancyId]);
    const byOperator = await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}&status=active`, { token: cast.operatorX.token });
    expect((byOperator.json as { items: { tenancyId: string }[] }).items.map((t) => t.tenancyId)).toContain(tenancy.tenancyId);
    expect((await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}`, { token: cast.operatorY.token })).status).toBe(404);
    expect((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: cast.operatorY.token })).status).toBe(404);
    expect((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: cast.tenantB.token })).status).toBe(404);
    expect((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: cast.operatorX.token })).status).toBe(200);
  });
});

describe('changing the vehicle type', () => {
  const vehicleChange = async (tenancyId: string) => {
    const execution = twin.integrations.workflows.list('VehicleChange').find((e) => e.name.includes(tenancyId));
    expect(execution, 'a vehicle change workflow started').toBeDefined();
    return twin.integrations.workflows.waitFor(execution!.executionArn, { timeoutMs: 20_000 });
  };

  it('moves the space and the billed unit to the new type', async () => {
    const tenant = await signUp(twin, 'vehicle@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const prices = await carparkPrices(carpark.carparkId);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'VC12AAA')).tenancyId);

    const res = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { vehicleType: 'motorcycle' } });
    expect(res.status, res.text).toBe(202);
    expect(await vehicleChange(tenancy.tenancyId)).toMatchObject({ status: 'SUCCEEDED' });

    const after = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(after.json).toMatchObject({ vehicleType: 'motorcycle', priceId: prices.motorcycle, monthlyAmount: 4_000, status: 'active' });
    expect(after.json).not.toHaveProperty('previousVehicle');
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.motorcycle!]: 1 });
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json).toMatchObject({ spacesFree: { car: 10, motorcycle: 1 } });
    expect(whitelist(twin, carpark.siteId)).toEqual(['VC12AAA']);
  });

  it('puts everything back when the card refuses the new price', async () => {
    const tenant = await signUp(twin, 'vehicle.declined@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorY);
    const prices = await carparkPrices(carpark.carparkId);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'VD12AAA')).tenancyId);
    await addCard(twin, tenant, 'pm_card_chargeCustomerFail');

    const res = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { vehicleType: 'motorcycle' } });
    expect(res.status, res.text).toBe(202);
    await vehicleChange(tenancy.tenancyId);

    const after = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(after.json).toMatchObject({ vehicleType: 'car', priceId: prices.car, status: 'active' });
    expect(after.json).not.toHaveProperty('previousVehicle');
    expect(await billedQuantities(twin, tenant)).toEqual({ [prices.car!]: 1 });
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json).toMatchObject({ spacesFree: { car: 9, motorcycle: 2 } });
    await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('could not change'), 5000);
  });

  it('refuses a type the car park does not offer', async () => {
    const tenant = await signUp(twin, 'vehicle.bad@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'VB12AAA')).tenancyId);
    const res = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { vehicleType: 'van' } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { details: [{ path: 'vehicleType' }] } });
  });
});
