/**
 * Finding a car park's tenancies on the twin: by plate as read (look-alikes tolerated), by the
 * start of the tenant's email or name; and the list narrowed to tenancies in arrears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyListResponse, TenancySearchResponse } from '../../functions/api/schemas';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
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
