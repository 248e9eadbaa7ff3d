/**
 * Finding a car park's tenancies on the twin: by plate as read (look-alikes tolerated), by the
 * start of the tenant's email or name; and the list narrowed to tenancies in arrears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyListResponse, TenancySearchResponse } from '../../functions/api/schemas';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { db, TableName } from '../../functions/adapters/dynamodb/table';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { foldLookAlikes } from '../../functions/domain/plates';
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

  it('answers a plate with two reads: the plate’s sightings, then its tenancies and their tenants together', async () => {
    const tenant = await signUp(twin, 'rhoda.reads@test.example', { name: 'Rhoda Reads' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'RR12EAD')).tenancyId);

    // Reads of the table while the search runs (the twin's handlers share this process's client).
    const reads: { command: string; input: string }[] = [];
    const counting = 'record-search-reads';
    db().middlewareStack.add(
      (next, context) => async (args) => {
        reads.push({ command: context.commandName ?? '?', input: JSON.stringify((args as { input?: unknown }).input) });
        return next(args);
      },
      { step: 'initialize', name: counting },
    );
    try {
      const found = await search(cast.operatorX, carpark.carparkId, 'RR12 EAD');
      expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant.name])).toEqual([[tenancy.tenancyId, 'Rhoda Reads']]);
    } finally {
      db().middlewareStack.remove(counting);
    }
    // Work the rental left running (its receipt, say) may read the table meanwhile: only what
    // names the plate, the tenancy, the tenant or what was typed (an email search) is the search's.
    const searchs = reads.filter((r) =>
      [`plateSighting#${foldLookAlikes('RR12EAD')}`, tenancy.tenancyId, tenant.userId, 'rr12 ead'].some((id) => r.input.includes(id)),
    );
    expect(searchs.map((r) => r.command)).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    expect(searchs[1]!.input).toContain(`tenancy#${tenancy.tenancyId}`);
    expect(searchs[1]!.input).toContain(`user#${tenant.userId}`);
    // Read through a projection: the tenant's name and email, never the password hash.
    const batch = JSON.parse(searchs[1]!.input) as { RequestItems: Record<string, { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }> };
    const projected = Object.values(Object.values(batch.RequestItems)[0]!.ExpressionAttributeNames ?? {});
    expect(projected).toEqual(expect.arrayContaining(['name', 'email', 'plate', 'status']));
    expect(projected).not.toContain('passwordHash');
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

  it('still names the tenant of a plate seen before sightings named their tenant', async () => {
    const tenant = await signUp(twin, 'olive.older@test.example', { name: 'Olive Older' });
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'OL12DER')).tenancyId);
    await db().send(new UpdateCommand({ TableName: TableName(), Key: keys.plateSighting(foldLookAlikes('OL12DER'), tenancy.tenancyId), UpdateExpression: 'REMOVE userId' }));

    const found = await search(cast.operatorX, carpark.carparkId, 'OL12DER');
    expect(found.items.map((m) => [m.tenancy.tenancyId, m.tenant])).toEqual([[tenancy.tenancyId, { userId: tenant.userId, name: 'Olive Older' }]]);
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
