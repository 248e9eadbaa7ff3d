/**
 * "Push to the barrier": an operator puts a tenancy's plate back on the whitelist at once (or
 * takes a suspended one off), instead of waiting for the daily reconciliation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, tenancyOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

async function apiKey(): Promise<string> {
  const { getSecretString } = await import('../../functions/adapters/secrets');
  return getSecretString(process.env.SMARTPARKING_API_KEY_ID!);
}

const push = (token: string, tenancyId: string) => twin.request('POST', `/tenancies/${tenancyId}/barrier`, { token });

describe('pushing a tenancy to the barrier', () => {
  it('puts back a paying plate the barrier lost, and records it on the tenancy', async () => {
    const tenant = await signUp(twin, 'push-lost@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'PB11AAA')).tenancyId);
    const removed = await fetch(`${twin.integrations.smartParking.url}/v1/sites/${carpark.siteId}/plates/PB11AAA`, {
      method: 'DELETE',
      headers: { 'x-api-key': await apiKey() },
    });
    expect(removed.status).toBe(204);
    expect(whitelist(twin, carpark.siteId)).toEqual([]);

    const pushed = await push(cast.operatorX.token, tenancy.tenancyId);
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json).toMatchObject({ tenancyId: tenancy.tenancyId, plate: 'PB11AAA', siteId: carpark.siteId, action: 'registered' });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PB11AAA']);
    const after = await tenancyOf(twin, tenant, tenancy.tenancyId);
    expect(after.barrier).toMatchObject({ status: 'registered', changedAt: (pushed.json as { at: string }).at });
    // Pushing again changes nothing at the barrier.
    expect((await push(cast.operatorX.token, tenancy.tenancyId)).status).toBe(200);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PB11AAA']);
  });

  it('takes a suspended tenancy off the barrier, and refuses an ended one or one still being set up', async () => {
    const tenant = await signUp(twin, 'push-suspended@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'PB22BBB')).tenancyId);
    // Suspended for arrears, its plate still on the whitelist (the revoke step has not run yet).
    await tenancyRepository.transition(tenancy.tenancyId, ['active'], { status: 'suspended', suspendedFrom: 'active', updatedAt: new Date().toISOString() });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PB22BBB']);

    const pushed = await push(cast.admin.token, tenancy.tenancyId);
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json).toMatchObject({ action: 'revoked' });
    expect(whitelist(twin, carpark.siteId)).toEqual([]);

    await tenancyRepository.transition(tenancy.tenancyId, ['suspended'], { status: 'ended', updatedAt: new Date().toISOString() });
    const ended = await push(cast.operatorX.token, tenancy.tenancyId);
    expect(ended.status).toBe(409);
    expect(ended.json).toMatchObject({ error: { code: 'tenancy_over' } });

    await tenancyRepository.transition(tenancy.tenancyId, ['ended'], { status: 'pending', updatedAt: new Date().toISOString() });
    const settingUp = await push(cast.operatorX.token, tenancy.tenancyId);
    expect(settingUp.status).toBe(409);
    expect(settingUp.json).toMatchObject({ error: { code: 'tenancy_busy' } });
  });

  it('answers 503 with a clear message when SmartParking is down, changing nothing', async () => {
    const tenant = await signUp(twin, 'push-down@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'PB33CCC')).tenancyId);
    const before = (await tenancyOf(twin, tenant, tenancy.tenancyId)).barrier;
    twin.integrations.smartParking.faults.set({ failureRate: 1, seed: 1 });
    try {
      const pushed = await push(cast.operatorX.token, tenancy.tenancyId);
      expect(pushed.status).toBe(503);
      expect(pushed.json).toMatchObject({ error: { code: 'dependency_unavailable' } });
    } finally {
      twin.integrations.smartParking.faults.clear();
    }
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).barrier).toEqual(before);
  });
});
