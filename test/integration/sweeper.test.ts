/**
 * No half-done tenancy: work killed between the tenancy's write and its workflow's start, or
 * between workflow steps, or an execution lost outright, is resumed by the sweeper and the
 * system converges (tenancy active or ended, space, Stripe quantity and whitelist agreeing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenancy } from '../../functions/domain/tenancies';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, tenancyOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const crashed = async () => {
  throw new Error('the function died here');
};

async function sweep() {
  const [{ sweepDeps }, { sweepTenancies }] = await Promise.all([
    import('../../functions/handlers/jobs/sweep-tenancies'),
    import('../../functions/domain/sweeper'),
  ]);
  // The deadline has passed for everything here.
  return sweepTenancies(sweepDeps, { afterMs: 0 });
}

const statusOf = async (tenant: Actor, tenancyId: string) =>
  ((await twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token })).json as Tenancy).status;
const becomes = (tenant: Actor, tenancyId: string, status: string) =>
  pollUntil(async () => (await statusOf(tenant, tenancyId)) === status, { timeoutMs: 20_000, describeFailure: () => `${tenancyId} never became ${status}` });

describe('the tenancy sweeper', () => {
  it('finishes a setup whose start was lost after the tenancy was written', async () => {
    const { tenancyDeps } = await import('../../functions/adapters/wiring/tenancies');
    const { createTenancy } = await import('../../functions/domain/tenancy-service');
    const tenant = await signUp(twin, 'sweep.setup@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const principal = { userId: tenant.userId, role: 'tenant' as const };

    const lost = { ...tenancyDeps, workflows: { ...tenancyDeps.workflows, startSetup: crashed } };
    await expect(createTenancy(lost, principal, { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'SW11EEP' })).rejects.toThrow('died');
    const [pending] = ((await twin.request('GET', '/tenancies', { token: tenant.token })).json as { items: Tenancy[] }).items;
    expect(pending?.status).toBe('pending');

    const first = await sweep();
    expect(first.resumed).toContainEqual({ tenancyId: pending!.tenancyId, kind: 'setup' });
    await becomes(tenant, pending!.tenancyId, 'active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['SW11EEP']);
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([1]);
    // A second sweep finds nothing to do.
    expect((await sweep()).resumed.filter((r) => r.tenancyId === pending!.tenancyId)).toEqual([]);
  });

  it('finishes a setup killed between steps, without billing twice', async () => {
    const [{ tenancyDeps }, { workflowDeps }, { billingWorkflowDeps }, service, steps] = await Promise.all([
      import('../../functions/adapters/wiring/tenancies'),
      import('../../functions/adapters/wiring/workflow-steps'),
      import('../../functions/adapters/wiring/workflow-billing'),
      import('../../functions/domain/tenancy-service'),
      import('../../functions/domain/tenancy-workflow'),
    ]);
    const tenant = await signUp(twin, 'sweep.steps@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorY);
    const principal = { userId: tenant.userId, role: 'tenant' as const };
    const lost = { ...tenancyDeps, workflows: { ...tenancyDeps.workflows, startSetup: async () => undefined } };
    const { tenancy } = await service.createTenancy(lost, principal, { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'SW22EEP' });
    // The first steps ran (customer, subscription, plate), then the execution was lost.
    await steps.ensureTenantCustomer(billingWorkflowDeps, { tenancyId: tenancy.tenancyId });
    await steps.syncTenantBilling(billingWorkflowDeps, { tenancyId: tenancy.tenancyId, idempotencyKey: `setup-${tenancy.tenancyId}` });
    await steps.registerPlate(workflowDeps, { tenancyId: tenancy.tenancyId });
    expect(await statusOf(tenant, tenancy.tenancyId)).toBe('pending');
    // The first invoice's `invoice.paid` moves the tenancy's renewal on; the sweeper comes long
    // after that (its deadline is minutes), so it sweeps here once that has landed.
    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancy.tenancyId)).renewsAt !== undefined, {
      timeoutMs: 20_000,
      describeFailure: () => `${tenancy.tenancyId}'s first invoice was never recorded as paid`,
    });

    expect((await sweep()).resumed).toContainEqual({ tenancyId: tenancy.tenancyId, kind: 'setup' });
    await becomes(tenant, tenancy.tenancyId, 'active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['SW22EEP']);
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([1]);
  });

  it('ends a cancelled tenancy whose cancellation never started', async () => {
    const [{ tenancyDeps }, service] = await Promise.all([
      import('../../functions/adapters/wiring/tenancies'),
      import('../../functions/domain/tenancy-service'),
    ]);
    const tenant = await signUp(twin, 'sweep.cancel@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const created = await twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'SW33EEP' } });
    const tenancyId = (created.json as { tenancy: Tenancy }).tenancy.tenancyId;
    await becomes(tenant, tenancyId, 'active');

    const principal = { userId: tenant.userId, role: 'tenant' as const };
    const lost = { ...tenancyDeps, workflows: { ...tenancyDeps.workflows, startCancellation: crashed } };
    await expect(service.cancelTenancy(lost, principal, tenancyId)).rejects.toThrow('died');
    expect(await statusOf(tenant, tenancyId)).toBe('cancelling');

    await sweep();
    await becomes(tenant, tenancyId, 'ended');
    await twin.integrations.workflows.waitFor(
      twin.integrations.workflows.list('TenancyCancellation').find((e) => e.name.startsWith(`cancel-${tenancyId}`))!.executionArn,
      { timeoutMs: 20_000 },
    );
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    expect(await billedQuantities(twin, tenant)).toEqual({});
  });
});
