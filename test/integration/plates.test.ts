/**
 * Several plates per tenancy through the twin: added up to the car park's limit by the plate
 * change workflow (whitelisted, billed as one space), removed with their claim given up at once
 * and revoked at the end of the period paid for unless another tenancy has claimed them, and a
 * plate given up never revoked from under a tenancy that claimed it meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TenancyResponse } from '../../functions/api/schemas';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { db, TableName } from '../../functions/adapters/dynamodb/table';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { handler as reconcile } from '../../functions/handlers/jobs/reconcile-barriers';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, rent, settle, tenancyOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  // Waits last as long as on AWS: a removed plate is revoked when its paid period really ends.
  twin = await startTestTwin({ waitScale: 1 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

/** The workflow steps, wired as the task functions wire them (read once the twin has set the environment). */
const steps = async () => {
  const [{ workflowDeps }, workflow] = await Promise.all([import('../../functions/adapters/wiring/workflow-steps'), import('../../functions/domain/tenancy-workflow')]);
  return { deps: workflowDeps, ...workflow };
};

/** A car park allowing `plates` plates per tenancy, and an active tenancy there on `plate`. */
async function activeTenancy(email: string, plate: string, plates = 2, carpark?: { carparkId: string; siteId: string }) {
  const tenant = await signUp(twin, email);
  await addCard(twin, tenant);
  const where = carpark ?? (await createCarpark(twin, cast.operatorX));
  if (!carpark) {
    const set = await twin.request('PATCH', `/carparks/${where.carparkId}`, { token: cast.operatorX.token, body: { platesPerTenancy: plates } });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ platesPerTenancy: plates });
  }
  const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, where.carparkId, plate)).tenancyId);
  expect(tenancy.status).toBe('active');
  return { tenant, tenancy, carpark: where };
}

/** Waits for the tenancy's plate changes to finish (none left running). */
async function plateChangesDone(tenancyId: string) {
  await pollUntil(async () => twin.integrations.workflows.list('PlateChange', 'RUNNING').every((e) => !e.name.includes(tenancyId) || e.name.includes('-removed-')), {
    timeoutMs: 20_000,
    describeFailure: () => 'plate changes to finish',
  });
}

const addPlate = (tenant: Actor, tenancyId: string, plate: string) => twin.request('POST', `/tenancies/${tenancyId}/plates`, { token: tenant.token, body: { plate } });
const removePlate = (tenant: Actor, tenancyId: string, plate: string) =>
  twin.request('DELETE', `/tenancies/${tenancyId}/plates/${encodeURIComponent(plate)}`, { token: tenant.token });

describe('adding a plate', () => {
  it('whitelists the second plate beside the first, bills one space and tells the tenant', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.add@test.example', 'PA11AAA');
    const billed = await billedQuantities(twin, tenant);

    const res = await addPlate(tenant, tenancy.tenancyId, 'pa22 bbb');
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ tenancy: { pendingPlate: 'PA22BBB', addingPlate: true } });
    await plateChangesDone(tenancy.tenancyId);

    const after = await tenancyOf(twin, tenant, tenancy.tenancyId);
    expect(after).toMatchObject({ plate: 'PA11AAA', extraPlates: ['PA22BBB'], barrier: { status: 'registered' } });
    expect(after.pendingPlate).toBeUndefined();
    expect(after.addingPlate).toBeUndefined();
    expect(whitelist(twin, carpark.siteId)).toEqual(['PA11AAA', 'PA22BBB']);
    expect(await billedQuantities(twin, tenant)).toEqual(billed);
    const email = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('plate'), 5000);
    expect(email.text).toContain('PA11AAA and PA22BBB');

    const timeline = await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: tenant.token });
    const kinds = (timeline.json as { items: { kind: string }[] }).items.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['plate_add_requested', 'plate_added']));
    expect(kinds.indexOf('plate_add_requested')).toBeLessThan(kinds.indexOf('plate_added'));
  });

  it('refuses a plate beyond the car park’s limit, and any second plate where the limit is one', async () => {
    const { tenant, tenancy } = await activeTenancy('plates.limit@test.example', 'PL11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PL22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    const third = await addPlate(tenant, tenancy.tenancyId, 'PL33CCC');
    expect(third.status).toBe(409);
    expect(third.json).toMatchObject({ error: { code: 'plate_limit', message: expect.stringContaining('2 plates') } });

    const single = await activeTenancy('plates.single@test.example', 'PS11AAA', 1);
    const second = await addPlate(single.tenant, single.tenancy.tenancyId, 'PS22BBB');
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: { code: 'plate_limit', message: expect.stringContaining('one plate') } });
  });

  it('refuses a plate another live tenancy holds at the barrier, and one already on the tenancy changes nothing', async () => {
    const first = await activeTenancy('plates.holder@test.example', 'PH11AAA');
    const second = await activeTenancy('plates.taker@test.example', 'PT11AAA', 2, first.carpark);
    const taken = await addPlate(second.tenant, second.tenancy.tenancyId, 'PH11AAA');
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ error: { code: 'plate_in_use' } });

    const same = await addPlate(second.tenant, second.tenancy.tenancyId, 'pt11 aaa');
    expect(same.status).toBe(202);
    expect(TenancyResponse.parse((same.json as { tenancy: unknown }).tenancy).pendingPlate).toBeUndefined();
  });

  it('refuses an invalid plate with the field named', async () => {
    const { tenant, tenancy } = await activeTenancy('plates.invalid@test.example', 'PI11AAA');
    const res = await addPlate(tenant, tenancy.tenancyId, 'TBC');
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { details: [{ path: 'plate' }] } });
  });
});

describe('removing a plate', () => {
  it('gives up the claim at once, keeps the plate whitelisted to the end of the period paid for, then revokes it', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.remove@test.example', 'PR11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PR22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    // The period paid for ends in a few seconds.
    const paidTo = new Date(Date.now() + 3_000).toISOString();
    const read = await tenancyRepository.get(tenancy.tenancyId, true);
    expect(await tenancyRepository.transition(tenancy.tenancyId, ['active'], { renewsAt: paidTo, updatedAt: new Date().toISOString() })).toBeDefined();
    expect(read?.renewsAt).not.toBe(paidTo);

    const res = await removePlate(tenant, tenancy.tenancyId, 'PR11AAA');
    expect(res.status, res.text).toBe(200);
    const removed = TenancyResponse.parse(res.json);
    expect(removed).toMatchObject({ plate: 'PR22BBB', retiredPlates: [{ plate: 'PR11AAA', until: paidTo }] });
    expect(removed.extraPlates).toBeUndefined();
    expect(whitelist(twin, carpark.siteId), 'still paid for').toEqual(['PR11AAA', 'PR22BBB']);

    await pollUntil(async () => !whitelist(twin, carpark.siteId).includes('PR11AAA'), { timeoutMs: 20_000, describeFailure: () => 'the removed plate revoked at the period end' });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(paidTo));
    expect(whitelist(twin, carpark.siteId)).toEqual(['PR22BBB']);
    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancy.tenancyId)).retiredPlates === undefined, { timeoutMs: 5_000, describeFailure: () => 'the removed plate forgotten' });
  });

  it('keeps a removed plate on the barrier for the tenancy that claims it before the period ends', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.handover@test.example', 'PV11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PV22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    expect((await removePlate(tenant, tenancy.tenancyId, 'PV22BBB')).status).toBe(200);

    // The claim was given up: another tenant rents on that plate at the same barrier.
    const other = await activeTenancy('plates.handover.other@test.example', 'PV22BBB', 2, carpark);
    expect(other.tenancy.plate).toBe('PV22BBB');

    // The period ends: the removal's revocation finds the plate claimed and leaves it.
    const { deps, revokePlate } = await steps();
    expect(await revokePlate(deps, { tenancyId: tenancy.tenancyId, plate: 'PV22BBB' })).toMatchObject({ revoked: false });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PV11AAA', 'PV22BBB']);
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).retiredPlates).toBeUndefined();
  });

  it('never lets removing and adding in turn put more cars on the barrier than the limit: a new plate ends the time of the removed one it replaces', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.cycle@test.example', 'PY11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PY22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    expect((await removePlate(tenant, tenancy.tenancyId, 'PY22BBB')).status).toBe(200);
    expect(whitelist(twin, carpark.siteId), 'the removed plate is paid for').toEqual(['PY11AAA', 'PY22BBB']);

    const added = await addPlate(tenant, tenancy.tenancyId, 'PY33CCC');
    expect(added.status, added.text).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PY11AAA', 'PY33CCC']);
    const after = await tenancyOf(twin, tenant, tenancy.tenancyId);
    expect(after).toMatchObject({ plate: 'PY11AAA', extraPlates: ['PY33CCC'] });
    expect(after.retiredPlates).toBeUndefined();
    const timeline = (await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: tenant.token })).json as { items: { kind: string; detail?: Record<string, unknown> }[] };
    expect(timeline.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'plate_add_requested', detail: { plate: 'PY33CCC', replaces: 'PY22BBB' } })]));
  });

  it('takes a plate added back while still removed off the removed list, and its removal then revokes nothing', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.back@test.example', 'PB11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PB22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    expect((await removePlate(tenant, tenancy.tenancyId, 'PB22BBB')).status).toBe(200);
    const busy = await addPlate(tenant, tenancy.tenancyId, 'PB22BBB');
    expect(busy.status, busy.text).toBe(202);
    const removingWhileAdded = await removePlate(tenant, tenancy.tenancyId, 'PB22BBB');
    expect(removingWhileAdded.status).toBe(409);
    expect(removingWhileAdded.json).toMatchObject({ error: { code: 'tenancy_busy' } });
    await plateChangesDone(tenancy.tenancyId);

    const back = await tenancyOf(twin, tenant, tenancy.tenancyId);
    expect(back).toMatchObject({ plate: 'PB11AAA', extraPlates: ['PB22BBB'] });
    expect(back.retiredPlates).toBeUndefined();
    // The removal's revocation, when the period ends, finds the plate held again.
    const { deps, revokePlate } = await steps();
    expect(await revokePlate(deps, { tenancyId: tenancy.tenancyId, plate: 'PB22BBB' })).toMatchObject({ revoked: false });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PB11AAA', 'PB22BBB']);
  });

  it('refuses to remove the last plate or one the tenancy does not have', async () => {
    const { tenant, tenancy } = await activeTenancy('plates.last@test.example', 'PZ11AAA');
    const last = await removePlate(tenant, tenancy.tenancyId, 'PZ11AAA');
    expect(last.status).toBe(409);
    expect(last.json).toMatchObject({ error: { code: 'last_plate' } });
    expect((await removePlate(tenant, tenancy.tenancyId, 'ZZ99ZZZ')).status).toBe(404);
    const operator = await twin.request('DELETE', `/tenancies/${tenancy.tenancyId}/plates/PZ11AAA`, { token: cast.operatorX.token });
    expect(operator.status).toBe(403);
  });
});

describe('a plate given up is never revoked from under a tenancy that claimed it', () => {
  it('leaves the old plate of a change on the barrier when another tenancy claimed it before the revocation', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.change.old@test.example', 'PC11AAA');
    const { deps, registerPlate, commitPlateChange, revokePlate } = await steps();
    // The change's steps by hand, so another tenant can claim the old plate between the commit and the revocation.
    const started = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { plate: 'PC22BBB' } });
    expect(started.status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    // That run revoked the old plate already; put the situation back as it stood between its commit and revoke.
    expect(whitelist(twin, carpark.siteId)).toEqual(['PC22BBB']);
    const other = await activeTenancy('plates.change.taker@test.example', 'PC11AAA', 2, carpark);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PC11AAA', 'PC22BBB']);

    // A commit retried after it went through still names the plate replaced, as its registration read it...
    expect(await commitPlateChange(deps, { tenancyId: tenancy.tenancyId, registered: { replaces: 'PC11AAA' } })).toEqual({ plate: 'PC22BBB', oldPlate: 'PC11AAA' });
    // ...and its late revocation leaves the plate to the tenancy that claimed it.
    expect(await revokePlate(deps, { tenancyId: tenancy.tenancyId, plate: 'PC11AAA' })).toMatchObject({ revoked: false });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PC11AAA', 'PC22BBB']);
    // A revocation naming the tenancy's own plate (a commit that never happened) leaves it too.
    expect(await revokePlate(deps, { tenancyId: tenancy.tenancyId, plate: 'PC22BBB' })).toMatchObject({ revoked: false });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PC11AAA', 'PC22BBB']);
    expect(await registerPlate(deps, { tenancyId: other.tenancy.tenancyId })).toMatchObject({ plate: 'PC11AAA' });
  });

  it('leaves an ended tenancy’s plate on the barrier when a new tenancy claimed it before the end’s revocation', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.ended@test.example', 'PE11AAA');
    const { deps, revokePlate } = await steps();
    const ended = await tenancyRepository.release((await tenancyRepository.get(tenancy.tenancyId, true))!, ['active'], 'ended', { updatedAt: new Date().toISOString() });
    expect(ended).toBe(true);
    await activeTenancy('plates.ended.taker@test.example', 'PE11AAA', 2, carpark);

    expect(await revokePlate(deps, { tenancyId: tenancy.tenancyId })).toMatchObject({ revoked: false });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PE11AAA']);
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).status).toBe('ended');
  });
});

describe('a plate the barrier refuses', () => {
  it('is not added: the change is abandoned, its claim given back, and it can be tried again', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.refused@test.example', 'PF11AAA');
    twin.integrations.smartParking.faults.set({ failureRate: 1, status: 422 });
    try {
      expect((await addPlate(tenant, tenancy.tenancyId, 'PF22BBB')).status).toBe(202);
      await plateChangesDone(tenancy.tenancyId);
    } finally {
      twin.integrations.smartParking.faults.clear();
    }
    const after = await tenancyOf(twin, tenant, tenancy.tenancyId);
    expect(after.pendingPlate).toBeUndefined();
    expect(after.addingPlate).toBeUndefined();
    expect(after.extraPlates).toBeUndefined();
    expect(whitelist(twin, carpark.siteId)).toEqual(['PF11AAA']);
    const kinds = ((await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: tenant.token })).json as { items: { kind: string }[] }).items.map((e) => e.kind);
    expect(kinds).toContain('plate_change_abandoned');

    expect((await addPlate(tenant, tenancy.tenancyId, 'PF22BBB')).status, 'its claim was given back').toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PF11AAA', 'PF22BBB']);
  });
});

describe('a plate addition whose workflow never started', () => {
  it('is finished by the sweeper, once', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.swept@test.example', 'PS55AAA');
    // The function died between recording the addition and starting its workflow.
    await tenancyRepository.startPlateAddition((await tenancyRepository.get(tenancy.tenancyId, true))!, 'PS66BBB', new Date().toISOString());
    const [{ sweepDeps }, { sweepTenancies }] = await Promise.all([import('../../functions/handlers/jobs/sweep-tenancies'), import('../../functions/domain/sweeper')]);
    const mine = (result: { resumed: readonly { tenancyId: string; kind: string }[] }) => result.resumed.filter((r) => r.tenancyId === tenancy.tenancyId);

    expect(mine(await sweepTenancies(sweepDeps, { afterMs: 0 }))).toEqual([{ tenancyId: tenancy.tenancyId, kind: 'plate change' }]);
    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancy.tenancyId)).extraPlates?.includes('PS66BBB'), {
      timeoutMs: 20_000,
      describeFailure: () => 'the added plate never committed',
    });
    expect(whitelist(twin, carpark.siteId)).toEqual(['PS55AAA', 'PS66BBB']);
    expect(mine(await sweepTenancies(sweepDeps, { afterMs: 0 }))).toEqual([]);
  });
});

describe('the hold on a plate being revoked', () => {
  it('refuses a claim while it lasts, lets one through once it ends, and lapses by itself if never ended', async () => {
    const tenant = await signUp(twin, 'plates.hold@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const gone = { tenancyId: 'tenancy-gone', carparkId: carpark.carparkId, siteId: carpark.siteId };

    expect(await tenancyRepository.holdForRevocation(gone, 'PK11AAA')).toBe(true);
    expect(await tenancyRepository.holdForRevocation({ ...gone, tenancyId: 'tenancy-other' }, 'PK11AAA'), 'one holder at a time').toBe(false);
    expect(await tenancyRepository.holdForRevocation(gone, 'PK11AAA'), 'its holder again: a revocation retried after its step died').toBe(true);
    const during = await twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'PK11AAA' } });
    expect(during.status).toBe(409);
    expect(during.json).toMatchObject({ error: { code: 'plate_in_use' } });
    await tenancyRepository.endRevocationHold(gone, 'PK11AAA');
    const claimed = await rent(twin, tenant, carpark.carparkId, 'PK11AAA');
    expect(await tenancyRepository.holdForRevocation(gone, 'PK11AAA'), 'a live claim is not held over').toBe(false);
    await tenancyRepository.endRevocationHold(gone, 'PK11AAA');
    expect((await settle(twin, tenant, claimed.tenancyId)).tenancy.status, 'ending a hold never deletes a claim').toBe('active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['PK11AAA']);

    // A step that died holding a plate: its hold runs out.
    expect(await tenancyRepository.holdForRevocation(gone, 'PK22BBB')).toBe(true);
    await db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: keys.plateClaim(`site:${carpark.siteId}`, 'PK22BBB'),
        UpdateExpression: 'SET holdUntil = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
      }),
    );
    const after = await rent(twin, tenant, carpark.carparkId, 'PK22BBB');
    expect((await settle(twin, tenant, after.tenancyId)).tenancy).toMatchObject({ plate: 'PK22BBB', status: 'active' });
  });
});

describe('every plate of a tenancy, on the barrier', () => {
  it('is sent to the barrier again by its operator', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.push@test.example', 'PU11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PU22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    const { getSecretString } = await import('../../functions/adapters/secrets');
    const key = await getSecretString(process.env.SMARTPARKING_API_KEY_ID!);
    for (const plate of ['PU11AAA', 'PU22BBB']) {
      const dropped = await fetch(`${twin.integrations.smartParking.url}/v1/sites/${carpark.siteId}/plates/${plate}`, { method: 'DELETE', headers: { 'x-api-key': key } });
      expect(dropped.status).toBe(204);
    }
    const pushed = await twin.request('POST', `/tenancies/${tenancy.tenancyId}/barrier`, { token: cast.operatorX.token });
    expect(pushed.status, pushed.text).toBe(200);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PU11AAA', 'PU22BBB']);
  });

  it('leaves a removed plate to the reconciliation once its paid period is over, when its own revocation never ran', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.recon@test.example', 'PQ11AAA');
    expect((await addPlate(tenant, tenancy.tenancyId, 'PQ22BBB')).status).toBe(202);
    await plateChangesDone(tenancy.tenancyId);
    // Removed with its period already over, and no workflow started for it.
    const read = (await tenancyRepository.get(tenancy.tenancyId, true))!;
    await tenancyRepository.removePlate(read, 'PQ22BBB', new Date(Date.now() - 60_000).toISOString(), new Date().toISOString());
    expect(whitelist(twin, carpark.siteId)).toEqual(['PQ11AAA', 'PQ22BBB']);
    await (reconcile as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
      {},
      { awsRequestId: 'plates-reconcile-after', functionName: 'ReconcileBarriers', getRemainingTimeInMillis: () => 60_000 },
    );
    expect(whitelist(twin, carpark.siteId)).toEqual(['PQ11AAA']);
  });
});

describe('every plate of a tenancy', () => {
  it('is found by plate look-up and search, put back by reconciliation, and a removed one tolerated while paid for', async () => {
    const { tenant, tenancy, carpark } = await activeTenancy('plates.every@test.example', 'PW11AAA', 3);
    for (const plate of ['PW22BBB', 'PW33CCC']) {
      expect((await addPlate(tenant, tenancy.tenancyId, plate)).status).toBe(202);
      await plateChangesDone(tenancy.tenancyId);
    }
    expect((await removePlate(tenant, tenancy.tenancyId, 'PW33CCC')).status).toBe(200);

    const found = await twin.request('GET', '/plates/PW22BBB', { token: cast.operatorX.token });
    expect((found.json as { items: { tenancy: { tenancyId: string }; exact: boolean }[] }).items).toEqual([
      expect.objectContaining({ tenancy: expect.objectContaining({ tenancyId: tenancy.tenancyId }), exact: true }),
    ]);
    const searched = await twin.request('GET', `/tenancies/search?carparkId=${carpark.carparkId}&q=PW22888`, { token: cast.operatorX.token });
    expect(searched.status, searched.text).toBe(200);
    expect((searched.json as { items: { tenancy: { tenancyId: string } }[] }).items.map((i) => i.tenancy.tenancyId)).toEqual([tenancy.tenancyId]);

    // Drift: the second plate went missing from the barrier.
    const { getSecretString } = await import('../../functions/adapters/secrets');
    const dropped = await fetch(`${twin.integrations.smartParking.url}/v1/sites/${carpark.siteId}/plates/PW22BBB`, {
      method: 'DELETE',
      headers: { 'x-api-key': await getSecretString(process.env.SMARTPARKING_API_KEY_ID!) },
    });
    expect(dropped.status).toBe(204);
    expect(whitelist(twin, carpark.siteId)).toEqual(['PW11AAA', 'PW33CCC']);
    await (reconcile as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
      {},
      { awsRequestId: 'plates-reconcile', functionName: 'ReconcileBarriers', getRemainingTimeInMillis: () => 60_000 },
    );
    expect(whitelist(twin, carpark.siteId), 'the removed plate is still paid for').toEqual(['PW11AAA', 'PW22BBB', 'PW33CCC']);
  });
});
