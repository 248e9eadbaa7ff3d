/**
 * Plate look-up (GET /plates/{plate}) through the twin: look-alikes found, each operator sees its
 * own car parks' tenancies only, the admin every one (with the tenant's email), whether the plate
 * opens the barrier now, plate changes followed, bad plates refused with 422, and the reads a
 * look-up makes bounded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDocumentClient } from '../../functions/adapters/dynamodb/client';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle } from './tenancy-helpers';

interface Lookup {
  plate: string;
  lookAlikeKey: string;
  truncated: boolean;
  items: {
    tenancy: { tenancyId: string; plate: string; status: string; carparkId: string };
    tenant: { userId: string; name?: string; email?: string };
    liveAtBarrier: boolean;
    exact: boolean;
  }[];
}

let twin: TestTwin;
let cast: Cast;
let tenant: Actor;
let atX: { carparkId: string };
let atY: { carparkId: string };

beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
  tenant = await signUp(twin, 'plates@test.example', { name: 'Pat Plates' });
  await addCard(twin, tenant);
  [atX, atY] = await Promise.all([createCarpark(twin, cast.operatorX), createCarpark(twin, cast.operatorY)]);
});
afterAll(() => twin?.close());

const lookUp = async (who: Actor, plate: string) => {
  const res = await twin.request('GET', `/plates/${encodeURIComponent(plate)}`, { token: who.token });
  expect(res.status, res.text).toBe(200);
  return res.json as Lookup;
};

describe('plate look-up', () => {
  it('finds a tenancy by any look-alike spelling of its plate, live at the barrier, for its operator and the admin only', async () => {
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, atX.carparkId, 'SO51 BIO')).tenancyId);
    expect(tenancy.status).toBe('active');

    for (const typed of ['SO51BIO', 'so51 bio', '5051 8I0', 'S0S1B1O', '505-1810']) {
      const found = await lookUp(cast.operatorX, typed);
      expect(found.lookAlikeKey, typed).toBe('5051810');
      expect(found.items.map((i) => i.tenancy.tenancyId), typed).toEqual([tenancy.tenancyId]);
      expect(found.items[0]).toMatchObject({ liveAtBarrier: true, exact: found.plate === 'SO51BIO', tenant: { userId: tenant.userId, name: 'Pat Plates' } });
      expect(found.items[0]!.tenant, 'operators are not given the tenant’s email').not.toHaveProperty('email');
    }
    expect((await lookUp(cast.operatorY, 'SO51BIO')).items, 'operator Y runs no car park with it').toEqual([]);
    const byAdmin = await lookUp(cast.admin, '5O51BIO');
    expect(byAdmin.items).toHaveLength(1);
    expect(byAdmin.items[0]!.tenant).toEqual({ userId: tenant.userId, name: 'Pat Plates', email: 'plates@test.example' });
  });

  it('does not match a plate differing by more than look-alikes', async () => {
    expect((await lookUp(cast.operatorX, 'SO51BIP')).items).toEqual([]);
    expect((await lookUp(cast.admin, 'SO51BI')).items).toEqual([]);
  });

  it('shows each operator only the tenancies at its own car parks when one plate is parked at both', async () => {
    const other = await signUp(twin, 'plates2@test.example');
    await addCard(twin, other);
    const atXTenancy = (await rent(twin, other, atX.carparkId, 'XY12 ZZZ')).tenancyId;
    const atYTenancy = (await rent(twin, other, atY.carparkId, 'XY12 ZZZ')).tenancyId;
    expect((await lookUp(cast.operatorX, 'XY12ZZZ')).items.map((i) => i.tenancy.tenancyId)).toEqual([atXTenancy]);
    expect((await lookUp(cast.operatorY, 'XY12ZZZ')).items.map((i) => i.tenancy.tenancyId)).toEqual([atYTenancy]);
    expect((await lookUp(cast.admin, 'XY12ZZZ')).items.map((i) => i.tenancy.tenancyId).sort()).toEqual([atXTenancy, atYTenancy].sort());
  });

  it('follows a plate change: the new plate finds the tenancy, the old one no longer does, and an ended tenancy is not live', async () => {
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, atX.carparkId, 'LM12 NOP')).tenancyId);
    const changed = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { plate: 'QR34 STU' } });
    expect(changed.status, changed.text).toBe(202);
    const execution = twin.integrations.workflows.list('PlateChange').find((e) => e.name.includes(tenancy.tenancyId))!;
    await twin.integrations.workflows.waitFor(execution.executionArn, { timeoutMs: 20_000 });

    expect((await lookUp(cast.operatorX, 'QR34STU')).items.map((i) => i.tenancy.tenancyId)).toEqual([tenancy.tenancyId]);
    expect((await lookUp(cast.operatorX, 'LM12NOP')).items).toEqual([]);

    const cancelled = await twin.request('DELETE', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(cancelled.status, cancelled.text).toBe(202);
    await settle(twin, tenant, tenancy.tenancyId, 'cancel');
    const [ended] = (await lookUp(cast.operatorX, 'QR34STU')).items;
    expect(ended).toMatchObject({ tenancy: { status: 'ended' }, liveAtBarrier: false });
  });

  it('refuses what cannot be a plate with 422 naming the plate, never a 500', async () => {
    for (const bad of ['!', '-', 'A', 'ABCDEFGHIJKLMN', "'; DROP TABLE--", 'AB12<CDE']) {
      const res = await twin.request('GET', `/plates/${encodeURIComponent(bad)}`, { token: cast.operatorX.token });
      expect(res.status, `${bad}: ${res.text}`).toBe(422);
      expect(res.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'plate' }] } });
    }
  });

  it('makes two reads: one query of the look-alike key, then one batch read of the tenancies and their tenants', async () => {
    const send = vi.spyOn(getDocumentClient(), 'send');
    try {
      await lookUp(cast.admin, 'XY12ZZZ');
      // The authorizer's read of the caller (GetCommand) is not the look-up's.
      const commands = send.mock.calls.map(([command]) => command.constructor.name).filter((name) => name !== 'GetCommand');
      expect(commands).toEqual(['QueryCommand', 'BatchGetCommand']);
    } finally {
      send.mockRestore();
    }
  });
});
