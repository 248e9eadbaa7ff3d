/**
 * Finding a car park's tenancies on the twin: by plate as read (look-alikes tolerated), by the
 * start of the tenant's email or name; and the list narrowed to tenancies in arrears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListedTenancyResponse, TenancyListResponse, TenancySearchResponse } from '../../functions/api/schemas';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { db, TableName } from '../../functions/adapters/dynamodb/table';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { checkPlateIndex, writePlateIndex } from '../../bin/plate-index';
import { renameTenant } from '../../functions/adapters/dynamodb/tenant-names';
import { foldLookAlikes } from '../../functions/domain/plates';
import { whileSending } from '../support/table-commands';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);

/**
 * The reads of the table while `run` runs (the twin's handlers share this process's client). Work
 * a rental left running (its receipt, say) may use the table meanwhile: only reads naming one of
 * `about` (the plate's look-alike key, the tenancy, the tenant, what was typed) are kept.
 */
async function readsOf<T>(run: () => Promise<T>, about: readonly string[]) {
  const reads: { command: string; input: string }[] = [];
  const result = await whileSending(run, { before: (command, input) => void reads.push({ command, input }) });
  const names = about.flatMap((a) => [a, `plate#${foldLookAlikes(a)}`]);
  return { result, reads: reads.filter((r) => READS.has(r.command) && names.some((name) => r.input.includes(name))) };
}

async function search(caller: Actor, carparkId: string, q: string) {
  const res = await twin.request('GET', `/tenancies/search?carparkId=${carparkId}&q=${encodeURIComponent(q)}`, { token: caller.token });
  expect(res.status, res.text).toBe(200);
  return TenancySearchResponse.parse(res.json);
}

describe('searching a car park’s tenancies', () => {
  it('finds a tenancy by its plate as read, by the start of the tenant’s email or name, and only at that car park', async () => {
    const tenant = await signUp(twin, 'selma.finder@test.example', { name: 'Selma Finder' });
    await addCard(twin, tenant);
    const here = await createCarpark(twin, cast.operatorX);
    const elsewhere = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, here.carparkId, 'SO51BIO')).tenancyId);
    await settle(twin, tenant, (await rent(twin, tenant, elsewhere.carparkId, 'SO51BIP')).tenancyId);

    // Read off a camera: O as 0, I as 1.
    const byPlate = await search(cast.operatorX, here.carparkId, 's051 b10');
    expect(byPlate.items.map((m) => [m.tenancy.tenancyId, m.matched])).toEqual([[tenancy.tenancyId, ['plate']]]);
    // The operator sees the tenant's name, not their email.
    expect(byPlate.items[0]!.tenant).toEqual({ userId: tenant.userId, name: 'Selma Finder' });

    const byEmail = await search(cast.operatorX, here.carparkId, 'SELMA.FIND');
    expect(byEmail.items.map((m) => [m.tenancy.tenancyId, m.matched])).toEqual([[tenancy.tenancyId, ['email']]]);
    const byName = await search(cast.admin, here.carparkId, 'selma f');
    expect(byName.items.map((m) => [m.tenancy.tenancyId, m.matched])).toEqual([[tenancy.tenancyId, ['name']]]);
    expect(byName.items[0]!.tenant.email).toBe('selma.finder@test.example');
    expect(byName.truncated).toBe(false);

    expect((await search(cast.operatorX, here.carparkId, 'nobody-like-this')).items).toEqual([]);
  });

  it('answers a plate with one read of the plate index: the tenancy whole, with the name its tenant has', async () => {
    const tenant = await signUp(twin, 'rhoda.reads@test.example', { name: 'Rhoda Reads' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RR12EAD')).tenancyId);

    const found = await readsOf(() => search(cast.operatorX, carpark.carparkId, 'RR12 EAD'), ['RR12EAD', tenancy.tenancyId, tenant.userId, 'rr12 ead']);
    expect(found.result.items.map((m) => [m.tenancy.tenancyId, m.tenant.name])).toEqual([[tenancy.tenancyId, 'Rhoda Reads']]);
    expect(found.reads.map((r) => r.command)).toEqual(['QueryCommand']);
    expect(found.reads[0]!.input).toContain('"IndexName":"gsi3"');

    // A new name reaches the tenancy: the search shows it, still in one read.
    const renamed = await twin.request('PATCH', `/users/${tenant.userId}`, { token: tenant.token, body: { name: 'Rhoda Renamed' } });
    expect(renamed.status, renamed.text).toBe(200);
    const again = await readsOf(() => search(cast.operatorX, carpark.carparkId, 'RR12EAD'), ['RR12EAD', tenancy.tenancyId, tenant.userId]);
    expect(again.result.items.map((m) => m.tenant.name)).toEqual(['Rhoda Renamed']);
    expect(again.reads.map((r) => r.command)).toEqual(['QueryCommand']);
    // The car park's list and the tenancy's page name the tenant too, to its operator and to admins.
    for (const caller of [cast.operatorX, cast.admin]) {
      const listed = await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}`, { token: caller.token });
      expect(listed.status, listed.text).toBe(200);
      expect(TenancyListResponse.parse(listed.json).items.map((t) => [t.tenancyId, t.tenantName])).toEqual([[tenancy.tenancyId, 'Rhoda Renamed']]);
      const one = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: caller.token });
      expect(ListedTenancyResponse.parse(one.json).tenantName).toBe('Rhoda Renamed');
    }
    // The tenant's own list and page stay as every tenant route shows a tenancy, without it.
    const own = await twin.request('GET', '/tenancies', { token: tenant.token });
    expect(own.status, own.text).toBe(200);
    expect((own.json as { items: object[] }).items.map((t) => ['tenancyId' in t, 'tenantName' in t])).toEqual([[true, false]]);
    const ownPage = await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    expect(ownPage.status, ownPage.text).toBe(200);
    expect(ownPage.json).not.toHaveProperty('tenantName');
  });

  it('keeps the later of two renames on the tenancy when the earlier one’s copy comes late', async () => {
    const tenant = await signUp(twin, 'lara.late@test.example', { name: 'Lara Late' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'LL12ATE')).tenancyId);
    const renamed = await twin.request('PATCH', `/users/${tenant.userId}`, { token: tenant.token, body: { name: 'Lara Later' } });
    expect(renamed.status, renamed.text).toBe(200);

    // The copy of a rename the user has since changed again arrives now: it is not theirs any more.
    await renameTenant(tenant.userId, 'Lara Late');
    expect((await search(cast.operatorX, carpark.carparkId, 'LL12ATE')).items.map((m) => [m.tenancy.tenancyId, m.tenant.name])).toEqual([
      [tenancy.tenancyId, 'Lara Later'],
    ]);
  });

  it('saves a rename whose copy to the tenancies fails, and the plate index command copies it after', async () => {
    const tenant = await signUp(twin, 'fay.fault@test.example', { name: 'Fay Fault' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'FF12AUL')).tenancyId);

    // The query that finds the tenant's tenancies to rename fails.
    const renamed = await whileSending(
      () => twin.request('PATCH', `/users/${tenant.userId}`, { token: tenant.token, body: { name: 'Fay Fixed' } }),
      {
        before: (command, input) => {
          if (command === 'QueryCommand' && input.includes(`user#${tenant.userId}`) && input.includes('tenantName')) throw new Error('DynamoDB is unavailable');
        },
      },
    );
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ name: 'Fay Fixed' });
    expect((await search(cast.operatorX, carpark.carparkId, 'FF12AUL')).items.map((m) => m.tenant.name)).toEqual(['Fay Fault']);

    const repairs = (await checkPlateIndex()).filter((r) => r.key.pk === keys.tenancy(tenancy.tenancyId).pk);
    expect(repairs.map((r) => r.reasons)).toEqual([['keeps another tenant name']]);
    await writePlateIndex(repairs);
    expect((await search(cast.operatorX, carpark.carparkId, 'FF12AUL')).items.map((m) => m.tenant.name)).toEqual(['Fay Fixed']);
  });

  it('follows the tenancy’s first plate in the index through a change of plate and the removal of its first plate', async () => {
    const tenant = await signUp(twin, 'ivy.index@test.example', { name: 'Ivy Index' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const twoPlates = await twin.request('PATCH', `/carparks/${carpark.carparkId}`, { token: cast.operatorX.token, body: { platesPerTenancy: 2 } });
    expect(twoPlates.status, twoPlates.text).toBe(200);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'IV11AAA')).tenancyId);
    const finished = async (workflowId: string) => {
      for (const execution of twin.integrations.workflows.list(workflowId).filter((e) => e.name.includes(tenancy.tenancyId))) {
        await twin.integrations.workflows.waitFor(execution.executionArn, { timeoutMs: 20_000 });
      }
    };

    const changed = await twin.request('PATCH', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token, body: { plate: 'IV22BBB' } });
    expect(changed.status, changed.text).toBe(202);
    await finished('PlateChange');
    expect((await search(cast.operatorX, carpark.carparkId, 'IV11AAA')).items).toEqual([]);
    const byNew = await readsOf(() => search(cast.operatorX, carpark.carparkId, 'IV22BBB'), ['IV22BBB', tenancy.tenancyId, tenant.userId]);
    expect(byNew.result.items.map((m) => m.tenancy.tenancyId)).toEqual([tenancy.tenancyId]);
    expect(byNew.reads.map((r) => r.command)).toEqual(['QueryCommand']);

    // A second plate, then the first removed: the second becomes the first, and the index follows.
    const added = await twin.request('POST', `/tenancies/${tenancy.tenancyId}/plates`, { token: tenant.token, body: { plate: 'IV33CCC' } });
    expect(added.status, added.text).toBe(202);
    await finished('PlateChange');
    const removed = await twin.request('DELETE', `/tenancies/${tenancy.tenancyId}/plates/IV22BBB`, { token: tenant.token });
    expect(removed.status, removed.text).toBe(200);
    const bySecond = await readsOf(() => search(cast.operatorX, carpark.carparkId, 'IV33CCC'), ['IV33CCC', tenancy.tenancyId, tenant.userId]);
    expect(bySecond.result.items.map((m) => [m.tenancy.tenancyId, m.tenancy.plate])).toEqual([[tenancy.tenancyId, 'IV33CCC']]);
    expect(bySecond.reads.map((r) => r.command)).toEqual(['QueryCommand']);
    // Nothing of this tenancy is missing from the index or under a plate it no longer has first.
    expect((await checkPlateIndex()).filter((r) => JSON.stringify(r).includes(tenancy.tenancyId))).toEqual([]);
    // The removed plate's revocation, too, before the twin stops.
    await finished('PlateChange');
  });

  it('finds tenancies from before the plate index once `npm run plate-index -- --write` has indexed them', async () => {
    const tenant = await signUp(twin, 'owen.older@test.example', { name: 'Owen Older' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'OW12AAA')).tenancyId);
    // As written before the index: no index keys, no kept name.
    await db().send(new UpdateCommand({ TableName: TableName(), Key: keys.tenancy(tenancy.tenancyId), UpdateExpression: 'REMOVE gsi3pk, gsi3sk, tenantName' }));
    await db().send(new UpdateCommand({ TableName: TableName(), Key: keys.plateSighting(foldLookAlikes('OW12AAA'), tenancy.tenancyId), UpdateExpression: 'REMOVE gsi3pk, gsi3sk' }));
    expect((await search(cast.operatorX, carpark.carparkId, 'OW12AAA')).items).toEqual([]);

    const mine = (repairs: Awaited<ReturnType<typeof checkPlateIndex>>) => repairs.filter((r) => JSON.stringify(r).includes(tenancy.tenancyId));
    const repairs = mine(await checkPlateIndex());
    expect(repairs.map((r) => [r.what, r.reasons])).toEqual(
      expect.arrayContaining([
        ['tenancy', ['not in the plate index', 'keeps another tenant name']],
        ['sighting', ['not in the plate index']],
      ]),
    );
    expect(await writePlateIndex(repairs)).toBe(repairs.length);
    expect(mine(await checkPlateIndex())).toEqual([]);
    const found = await search(cast.operatorX, carpark.carparkId, 'OW12AAA');
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant.name])).toEqual([[tenancy.tenancyId, 'Owen Older']]);
  });

  it('answers with the plate when one matches, not with an email that happens to start the same', async () => {
    const carpark = await createCarpark(twin, cast.operatorX);
    const driver = await signUp(twin, 'pat.driver@test.example', { name: 'Pat Driver' });
    const namesake = await signUp(twin, 'pq12rst@test.example', { name: 'Quinn Namesake' });
    for (const tenant of [driver, namesake]) await addCard(twin, tenant);
    const { tenancy } = await settle(twin, driver, (await rent(twin, driver, carpark.carparkId, 'PQ12RST')).tenancyId);
    await settle(twin, namesake, (await rent(twin, namesake, carpark.carparkId, 'ZZ99ZZZ')).tenancyId);

    const found = await search(cast.operatorX, carpark.carparkId, 'PQ12RST');
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant.name, m.matched])).toEqual([[tenancy.tenancyId, 'Pat Driver', ['plate']]]);
  });

  it('still names the tenant of a tenancy that keeps no name, reading the tenant, and shows an admin the email', async () => {
    const tenant = await signUp(twin, 'olive.older@test.example', { name: 'Olive Older' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'OL12DER')).tenancyId);
    await db().send(new UpdateCommand({ TableName: TableName(), Key: keys.tenancy(tenancy.tenancyId), UpdateExpression: 'REMOVE tenantName' }));

    const found = await search(cast.operatorX, carpark.carparkId, 'OL12DER');
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant])).toEqual([[tenancy.tenancyId, { userId: tenant.userId, name: 'Olive Older' }]]);
    // The car park's list shows only what the tenancy keeps: no name, the tenant's id.
    const listed = TenancyListResponse.parse((await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}`, { token: cast.operatorX.token })).json);
    expect(listed.items.map((t) => [t.userId, t.tenantName])).toEqual([[tenant.userId, undefined]]);
    const one = ListedTenancyResponse.parse((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: cast.operatorX.token })).json);
    expect([one.userId, one.tenantName]).toEqual([tenant.userId, undefined]);
    const byAdmin = await readsOf(() => search(cast.admin, carpark.carparkId, 'OL12DER'), ['OL12DER', tenancy.tenancyId, tenant.userId]);
    expect(byAdmin.result.items.map((m) => m.tenant)).toEqual([{ userId: tenant.userId, name: 'Olive Older', email: 'olive.older@test.example' }]);
    // The tenant is read through a projection: name and email, never the password hash.
    expect(byAdmin.reads.map((r) => r.command)).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    const batch = JSON.parse(byAdmin.reads[1]!.input) as { RequestItems: Record<string, { ExpressionAttributeNames?: Record<string, string> }> };
    const projected = Object.values(Object.values(batch.RequestItems)[0]!.ExpressionAttributeNames ?? {});
    expect(projected).toEqual(expect.arrayContaining(['name', 'email']));
    expect(projected).not.toContain('passwordHash');
  });

  it('looks for what looks like a plate as the start of an email when no plate at the car park matches', async () => {
    const tenant = await signUp(twin, 'kb24lee@test.example', { name: 'Kay Lee' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'KL77AAA')).tenancyId);

    const found = await search(cast.operatorX, carpark.carparkId, 'KB24LEE');
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.matched])).toEqual([[tenancy.tenancyId, ['email']]]);
    // Another operator learns nothing of the car park either way.
    const refused = await twin.request('GET', `/tenancies/search?carparkId=${carpark.carparkId}&q=KL77AAA`, { token: cast.operatorY.token });
    expect(refused.status).toBe(404);
  });

  it('is refused for a car park that is not the caller’s, and for nothing typed', async () => {
    const res = await twin.request('GET', `/tenancies/search?carparkId=${cast.operatorX.carparkId}&q=AB12CDE`, { token: cast.operatorY.token });
    expect(res.status).toBe(404);
    const empty = await twin.request('GET', `/tenancies/search?carparkId=${cast.operatorX.carparkId}&q=%20%20`, { token: cast.operatorX.token });
    expect(empty.status, empty.text).toBe(422);
    expect((empty.json as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('q');
  });
});

describe('the tenancies in arrears', () => {
  it('are listed alone when asked, page by page', async () => {
    const carpark = await createCarpark(twin, cast.operatorX);
    const ids: string[] = [];
    for (const [email, plate] of [
      ['arrears.one@test.example', 'AR11AAA'],
      ['arrears.two@test.example', 'AR22BBB'],
      ['arrears.three@test.example', 'AR33CCC'],
    ] as const) {
      const tenant = await signUp(twin, email);
      await addCard(twin, tenant);
      ids.push((await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId)).tenancy.tenancyId);
    }
    // Two of the three tenants owe an invoice (as dunning stamps it).
    for (const [i, id] of [ids[0]!, ids[2]!].entries()) {
      const stamped = await tenancyRepository.transition(id, ['active'], {
        arrears: { state: 'overdue', invoiceId: `in_test${i}`, since: new Date().toISOString(), amountDue: 10_000, currency: 'gbp' },
        updatedAt: new Date().toISOString(),
      });
      expect(stamped?.arrears?.state).toBe('overdue');
    }

    const listed = async (query: string) => {
      const res = await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}${query}`, { token: cast.operatorX.token });
      expect(res.status, res.text).toBe(200);
      return TenancyListResponse.parse(res.json);
    };
    expect((await listed('&inArrears=true')).items.map((t) => t.tenancyId).sort()).toEqual([ids[0], ids[2]].sort());
    expect((await listed('&inArrears=false')).items).toHaveLength(3);
    const first = await listed('&inArrears=true&limit=1');
    expect(first.items).toHaveLength(1);
    const second = await listed(`&inArrears=true&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([first.items[0]!.tenancyId, second.items[0]!.tenancyId].sort()).toEqual([ids[0], ids[2]].sort());
    const bad = await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}&inArrears=yes`, { token: cast.operatorX.token });
    expect(bad.status).toBe(422);
  });
});
