/**
 * The daily reconciliation repairs drift between SmartParking whitelists and live tenancies in
 * both directions, and leaves alone what is right or in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/handlers/jobs/reconcile-barriers';
import { BarrierCheckResponse } from '../../functions/api/schemas';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const runJob = () => (handler as unknown as (event: unknown, context: unknown) => Promise<{ carparksChecked: number; fixes: number }>)(
  {},
  { awsRequestId: 'reconcile-test', functionName: 'ReconcileBarriers', getRemainingTimeInMillis: () => 60_000 },
);

describe('barrier reconciliation', () => {
  it('registers missing plates, revokes stray ones and records what it fixed', async () => {
    const tenant = await signUp(twin, 'recon@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const kept = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RC11AAA')).tenancyId);
    const lost = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RC22BBB')).tenancyId);
    expect(whitelist(twin, carpark.siteId)).toEqual(['RC11AAA', 'RC22BBB']);

    // Drift: someone removed a paying plate on the barrier system and added a stranger's.
    const barrier = await fetch(`${twin.integrations.smartParking.url}/v1/sites/${carpark.siteId}/plates/RC22BBB`, {
      method: 'DELETE',
      headers: { 'x-api-key': await apiKey() },
    });
    expect(barrier.status).toBe(204);
    const stray = await fetch(`${twin.integrations.smartParking.url}/v1/sites/${carpark.siteId}/plates/ZZ99ZZZ`, {
      method: 'PUT',
      headers: { 'x-api-key': await apiKey(), 'content-type': 'application/json' },
      body: JSON.stringify({ validFrom: new Date().toISOString(), validTo: null, reference: 'manual' }),
    });
    expect(stray.status).toBe(200);

    const result = await runJob();
    expect(result.fixes).toBeGreaterThanOrEqual(2);
    expect(whitelist(twin, carpark.siteId)).toEqual(['RC11AAA', 'RC22BBB']);
    expect(kept.tenancy.status).toBe('active');
    expect(lost.tenancy.status).toBe('active');

    // The car park's operator sees what the run repaired there; another operator sees nothing.
    const check = async () => {
      const res = await twin.request('GET', `/carparks/${carpark.carparkId}/barrier-check`, { token: cast.operatorX.token });
      expect(res.status, res.text).toBe(200);
      return BarrierCheckResponse.parse(res.json);
    };
    const first = await check();
    expect(first.lastRun?.error).toBeNull();
    expect(first.lastRun?.fixes.map((f) => [f.plate, f.action, f.siteId]).sort()).toEqual([
      ['RC22BBB', 'registered', carpark.siteId],
      ['ZZ99ZZZ', 'revoked', carpark.siteId],
    ]);
    expect(first.lastRun?.fixes.find((f) => f.plate === 'RC22BBB')?.tenancyId).toBe(lost.tenancy.tenancyId);
    expect((await twin.request('GET', `/carparks/${carpark.carparkId}/barrier-check`, { token: cast.operatorY.token })).status).toBe(404);

    // A second run finds nothing to fix here, and is the one shown.
    await runJob();
    expect(whitelist(twin, carpark.siteId)).toEqual(['RC11AAA', 'RC22BBB']);
    const second = await check();
    expect(second.lastRun?.fixes).toEqual([]);
    expect(second.lastRun!.startedAt > first.lastRun!.startedAt).toBe(true);
  });

  it('fails the run (for the alarm) when a site cannot be checked, after fixing the others', async () => {
    twin.integrations.smartParking.faults.set({ failureRate: 1, seed: 1 });
    try {
      await expect(runJob()).rejects.toThrow(/could not check/);
    } finally {
      twin.integrations.smartParking.faults.clear();
    }
  });
});

async function apiKey(): Promise<string> {
  const { getSecretString } = await import('../../functions/adapters/secrets');
  return getSecretString(process.env.SMARTPARKING_API_KEY_ID!);
}
