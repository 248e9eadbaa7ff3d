/**
 * SmartParking sites are owned: the first operator to use a site id owns it, no other operator can
 * point a car park at it, and car parks of one operator that share a site share its whitelist
 * (one barrier), its plate claims and its reconciliation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/handlers/jobs/reconcile-barriers';
import { startTestTwin, type TestTwin } from '../support/twin';
import { carparkInput, createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, rent, settle, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const runJob = () => (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
  {},
  { awsRequestId: 'sites-test', functionName: 'ReconcileBarriers', getRemainingTimeInMillis: () => 60_000 },
);

async function carparkOn(operator: Actor, siteId: string, name: string) {
  return twin.request('POST', '/carparks', { token: operator.token, body: carparkInput({ smartParkingSiteId: siteId, name }) });
}
const errorCode = (res: { json: unknown }) => (res.json as { error: { code: string } }).error.code;

describe('barrier sites', () => {
  it("refuses a car park on another operator's site, at creation and by a later change", async () => {
    const mine = await carparkOn(cast.operatorX, 'SP-OWNED-X', 'X North');
    expect(mine.status, mine.text).toBe(201);

    const theirs = await carparkOn(cast.operatorY, 'SP-OWNED-X', 'Y on X');
    expect(theirs.status, theirs.text).toBe(409);
    expect(errorCode(theirs)).toBe('site_taken');

    const own = await carparkOn(cast.operatorY, 'SP-OWNED-Y', 'Y South');
    expect(own.status, own.text).toBe(201);
    const moved = await twin.request('PATCH', `/carparks/${(own.json as { carparkId: string }).carparkId}`, {
      token: cast.operatorY.token,
      body: { smartParkingSiteId: 'SP-OWNED-X' },
    });
    expect(moved.status, moved.text).toBe(409);
    expect(errorCode(moved)).toBe('site_taken');
  });

  it("shares one operator's site between its car parks: one plate claim, one whitelist, reconciled together", async () => {
    const a = await carparkOn(cast.operatorX, 'SP-SHARED-X', 'Shared A');
    const b = await carparkOn(cast.operatorX, 'SP-SHARED-X', 'Shared B');
    expect([a.status, b.status]).toEqual([201, 201]);
    const [carparkA, carparkB] = [a, b].map((r) => (r.json as { carparkId: string }).carparkId) as [string, string];

    const one = await signUp(twin, 'sites.one@test.example');
    const two = await signUp(twin, 'sites.two@test.example');
    await addCard(twin, one);
    await addCard(twin, two);
    await settle(twin, one, (await rent(twin, one, carparkA, 'ST11AAA')).tenancyId);
    await settle(twin, two, (await rent(twin, two, carparkB, 'ST22BBB')).tenancyId);
    expect(whitelist(twin, 'SP-SHARED-X')).toEqual(['ST11AAA', 'ST22BBB']);

    // The same plate at the other car park behind the same barrier is already in use.
    const twice = await twin.request('POST', '/tenancies', { token: two.token, body: { carparkId: carparkB, vehicleType: 'car', plate: 'ST11AAA' } });
    expect(twice.status, twice.text).toBe(409);
    expect(errorCode(twice)).toBe('plate_in_use');

    // Reconciliation keeps both car parks' tenants at the shared barrier.
    await runJob();
    expect(whitelist(twin, 'SP-SHARED-X')).toEqual(['ST11AAA', 'ST22BBB']);
  });
});
