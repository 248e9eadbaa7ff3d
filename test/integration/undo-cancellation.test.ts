/**
 * Taking a cancellation back: through the API and the real cancellation workflow (waiting out the
 * paid period in real time here, so the undo arrives during the wait), and racing the end step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { workflowDeps } from '../../functions/adapters/wiring/workflow-steps';
import type { Tenancy } from '../../functions/domain/tenancies';
import { endTenancy } from '../../functions/domain/tenancy-workflow';
import { executionArnFor } from '../../local/stepfunctions/engine';
import { startTestTwin, type TestTwin } from '../support/twin';
import { addCard, billedQuantities, createCarpark, rent, settle, whitelist } from './tenancy-helpers';
import { createCast, signUp, type Actor, type Cast } from './actors';

let twin: TestTwin;
let cast: Cast;
let tenant: Actor;
let carpark: { carparkId: string; siteId: string };

beforeAll(async () => {
  // Waits last as long as they say: a cancellation waits out the paid month.
  twin = await startTestTwin({ waitScale: 1 });
  cast = await createCast(twin);
  tenant = await signUp(twin, 'undo@test.example');
  await addCard(twin, tenant);
  carpark = await createCarpark(twin, cast.operatorX);
});
afterAll(() => twin?.close());

const get = async (tenancyId: string) => (await twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token })).json as Tenancy;
const undo = (tenancyId: string, token = tenant.token) => twin.request('POST', `/tenancies/${tenancyId}/undo-cancellation`, { token });
const spacesFree = async () =>
  ((await twin.request('GET', `/carparks/${carpark.carparkId}`)).json as { spacesFree: Record<string, number> }).spacesFree.car;
const cancellationExecution = (tenancyId: string, cancellationId: string) =>
  twin.integrations.workflows.describe(executionArnFor('TenancyCancellation', `cancel-${tenancyId}-${cancellationId}`));

async function activeTenancy(plate: string): Promise<Tenancy> {
  const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId);
  expect(tenancy.status).toBe('active');
  return tenancy as Tenancy;
}

/** Cancels and waits until the workflow is waiting for the end of the paid period (the notice is out). */
async function cancelled(tenancyId: string, expected: Partial<Tenancy> = { status: 'cancelling' }): Promise<Tenancy> {
  const res = await twin.request('DELETE', `/tenancies/${tenancyId}`, { token: tenant.token });
  expect(res.status, res.text).toBe(202);
  const tenancy = res.json as Tenancy;
  expect(tenancy).toMatchObject({ ...expected, cancellationId: expect.any(String) });
  await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('is cancelled') && (m.text ?? '').includes(tenancy.plate), 10_000);
  return tenancy;
}

describe('POST /tenancies/{id}/undo-cancellation', () => {
  it('takes back a cancellation during the paid period: active again, with its space, plate and billed quantity, and the workflow stopped', async () => {
    const tenancy = await activeTenancy('UN01DOA');
    const [quantity, free] = [await billedQuantities(twin, tenant), await spacesFree()];
    const cancelling = await cancelled(tenancy.tenancyId);
    expect((await get(tenancy.tenancyId)).endsAt).toBeDefined();

    const res = await undo(tenancy.tenancyId);

    expect(res.status, res.text).toBe(200);
    const { tenancy: undone } = res.json as { tenancy: Tenancy };
    expect(undone).toMatchObject({ tenancyId: tenancy.tenancyId, status: 'active', barrier: { status: 'registered' } });
    expect(undone).not.toHaveProperty('endsAt');
    expect(undone).not.toHaveProperty('cancellationId');
    expect(await get(tenancy.tenancyId)).toEqual(undone);
    const execution = await twin.integrations.workflows.waitFor(executionArnFor('TenancyCancellation', `cancel-${tenancy.tenancyId}-${cancelling.cancellationId}`));
    expect(execution.status).toBe('ABORTED');
    expect(await billedQuantities(twin, tenant)).toEqual(quantity);
    expect(await spacesFree()).toBe(free);
    expect(whitelist(twin, carpark.siteId)).toContain('UN01DOA');
  });

  it('answers 409 tenancy_not_cancelling a second time, and lets the tenancy be cancelled again as a new cancellation', async () => {
    const tenancy = await activeTenancy('UN02DOA');
    const first = await cancelled(tenancy.tenancyId);
    expect((await undo(tenancy.tenancyId)).status).toBe(200);

    const again = await undo(tenancy.tenancyId);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'tenancy_not_cancelling' } });

    const second = await cancelled(tenancy.tenancyId);
    expect(second.cancellationId).not.toBe(first.cancellationId);
    expect(cancellationExecution(tenancy.tenancyId, second.cancellationId!).status).toBe('RUNNING');
    expect((await undo(tenancy.tenancyId)).status).toBe(200);
  });

  it('refuses an active tenancy and an ended one with 409 tenancy_not_cancelling', async () => {
    const tenancy = await activeTenancy('UN03DOA');
    expect((await undo(tenancy.tenancyId)).json).toMatchObject({ error: { code: 'tenancy_not_cancelling' } });

    const { cancellationId } = await cancelled(tenancy.tenancyId);
    // The paid period is over: the end step runs (as the workflow would after its wait).
    expect(await endTenancy(workflowDeps, { tenancyId: tenancy.tenancyId, cancellationId: cancellationId! })).toEqual({ released: true, status: 'ended' });
    const res = await undo(tenancy.tenancyId);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'tenancy_not_cancelling', message: expect.stringContaining('ended') } });
  });

  it('gives a tenancy cancelled while suspended back as suspended, not active', async () => {
    const tenancy = await activeTenancy('UN04DOA');
    // Suspended for arrears (as the dunning workflow leaves it), then cancelled.
    await tenancyRepository.transition(tenancy.tenancyId, ['active'], { status: 'suspended', suspendedFrom: 'active', updatedAt: new Date().toISOString() });
    // Cancelling keeps it suspended (off the barrier), marked to end.
    await cancelled(tenancy.tenancyId, { status: 'suspended', suspendedFrom: 'cancelling' });

    const res = await undo(tenancy.tenancyId);

    expect(res.status, res.text).toBe(200);
    expect((res.json as { tenancy: Tenancy }).tenancy).toMatchObject({ status: 'suspended', suspendedFrom: 'active' });
  });

  it('keeps a tenancy suspended while cancelling suspended, but no longer ending', async () => {
    const tenancy = await activeTenancy('UN05DOA');
    const { cancellationId } = await cancelled(tenancy.tenancyId);
    await tenancyRepository.transition(tenancy.tenancyId, ['cancelling'], { status: 'suspended', suspendedFrom: 'cancelling', updatedAt: new Date().toISOString() });

    const res = await undo(tenancy.tenancyId);

    expect((res.json as { tenancy: Tenancy }).tenancy).toMatchObject({ status: 'suspended', suspendedFrom: 'active' });
    // Had the stopped workflow reached its end step, it would have left the tenancy alone.
    expect(await endTenancy(workflowDeps, { tenancyId: tenancy.tenancyId, cancellationId: cancellationId! })).toEqual({ released: false, status: 'undone' });
    expect(await get(tenancy.tenancyId)).toMatchObject({ status: 'suspended' });
  });

  it('lets only the tenant undo: another tenant is told it does not exist, its operator and an admin are refused', async () => {
    const tenancy = await activeTenancy('UN06DOA');
    await cancelled(tenancy.tenancyId);
    expect((await undo(tenancy.tenancyId, cast.tenantB.token)).status).toBe(404);
    expect((await undo(tenancy.tenancyId, cast.operatorX.token)).status).toBe(403);
    expect((await undo(tenancy.tenancyId, cast.admin.token)).status).toBe(403);
    expect((await twin.request('POST', `/tenancies/${tenancy.tenancyId}/undo-cancellation`)).status).toBe(401);
    expect((await get(tenancy.tenancyId)).status).toBe('cancelling');
  });

  it('has one winner when the undo and the end step race: either ended and refused, or live and taken back', async () => {
    const outcomes: string[] = [];
    for (const plate of ['UN07RCA', 'UN08RCA', 'UN09RCA', 'UN10RCA']) {
      const tenancy = await activeTenancy(plate);
      const { cancellationId } = await cancelled(tenancy.tenancyId);

      const [ended, undoRes] = await Promise.all([endTenancy(workflowDeps, { tenancyId: tenancy.tenancyId, cancellationId: cancellationId! }), undo(tenancy.tenancyId)]);

      const after = await tenancyRepository.get(tenancy.tenancyId, true);
      if (undoRes.status === 200) {
        expect(ended).toEqual({ released: false, status: 'undone' });
        expect(after?.status).toBe('active');
        outcomes.push('undone');
      } else {
        expect(undoRes.json).toMatchObject({ error: { code: 'tenancy_not_cancelling' } });
        expect(ended).toEqual({ released: true, status: 'ended' });
        expect(after?.status).toBe('ended');
        outcomes.push('ended');
      }
    }
    // Whatever the interleaving, what is held matches what is live: spaces, and the counts billing syncs to.
    const live = (await tenancyRepository.listByUser(tenant.userId, { limit: 100 })).items.filter((t) => ['active', 'cancelling', 'suspended'].includes(t.status));
    const carparkLive = (await tenancyRepository.liveAtCarpark(carpark.carparkId)).length;
    expect(carparkLive).toBe(live.length);
    expect(await spacesFree()).toBe(10 - live.length);
    expect(outcomes).toHaveLength(4);
  });
});
