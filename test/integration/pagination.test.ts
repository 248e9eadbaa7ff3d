/**
 * Pages of tenancies through the API: a filter (status, or a tenant's car park) never yields a
 * short or empty page with a cursor because DynamoDB counted filtered-out items against `Limit`;
 * and an item the table holds in a broken shape is refused as an internal error, not passed on.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY, keys, tenancyIndexKeys } from '../../functions/adapters/dynamodb/keys';
import { PAGE_READS, PAGE_READ_SIZE } from '../../functions/adapters/dynamodb/tenancy-repository';
import type { Tenancy, TenancyStatus } from '../../functions/domain/tenancies';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

let seq = 0;
/** A stored tenancy as the repository writes it; `order` sets its place in both indexes. */
function tenancy(userId: string, carparkId: string, operatorId: string, status: TenancyStatus, order: number): Tenancy {
  const at = new Date(Date.UTC(2026, 0, 1) + order * 60_000).toISOString();
  const id = `tn_${String(order).padStart(10, '0')}${String(++seq).padStart(10, '0')}`;
  return {
    tenancyId: id,
    userId,
    carparkId,
    operatorId,
    vehicleType: 'car',
    plate: `PG${seq}`,
    status,
    startDate: at,
    priceId: 'price_seeded',
    monthlyAmount: 10_000,
    currency: 'gbp',
    barrier: { status: status === 'active' ? 'registered' : 'revoked', changedAt: at },
    createdAt: at,
    updatedAt: at,
  };
}

const stored = (t: Tenancy) => ({ ...keys.tenancy(t.tenancyId), ...tenancyIndexKeys(t), type: ENTITY.tenancy, ...t });

async function seed(tenancies: readonly Tenancy[]) {
  for (let i = 0; i < tenancies.length; i += 25) {
    const batch = tenancies.slice(i, i + 25).map((t) => ({ PutRequest: { Item: stored(t) } }));
    await twin.documentClient.send(new BatchWriteCommand({ RequestItems: { [twin.tableName]: batch } }));
  }
}

type Page = { items: Tenancy[]; nextCursor?: string };

/** Follows the cursors of a listing to its end, checking every page but the last is full. */
async function allPages(path: string, token: string, limit: number) {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await twin.request('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    const page = res.json as Page;
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length, 'the listing ends').toBeLessThan(20);
  } while (cursor);
  return pages;
}

describe('filtered pages are full', () => {
  it("gives a tenant a full page of active tenancies behind many ended ones (?status=active&limit=2)", async () => {
    const tenant = await signUp(twin, 'pages.status@test.example');
    const { carparkId, operatorId } = cast.operatorX;
    // Three active tenancies, oldest; thirty ended ones newer (a tenant's list is newest first).
    const active = [1, 2, 3].map((n) => tenancy(tenant.userId, carparkId, operatorId, 'active', n));
    const ended = Array.from({ length: 30 }, (_, n) => tenancy(tenant.userId, carparkId, operatorId, 'ended', 100 + n));
    await seed([...active, ...ended]);

    const first = await twin.request('GET', '/tenancies?status=active&limit=2', { token: tenant.token });
    expect(first.status, first.text).toBe(200);
    const page = first.json as Page;
    expect(page.items.map((t) => t.tenancyId)).toEqual([active[2]!.tenancyId, active[1]!.tenancyId]);
    expect(page.nextCursor).toBeDefined();

    const pages = await allPages('/tenancies?status=active', tenant.token, 2);
    expect(pages.flatMap((p) => p.items.map((t) => t.tenancyId))).toEqual([...active].reverse().map((t) => t.tenancyId));
    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
  });

  it("gives an operator a full page of a car park's active tenancies behind many ended ones", async () => {
    const tenant = await signUp(twin, 'pages.operator@test.example');
    const { carparkId, operatorId, token } = cast.operatorY;
    // By car park, tenancies come in id order: the ended ones (lower ids) first.
    const ended = Array.from({ length: 30 }, (_, n) => tenancy(tenant.userId, carparkId, operatorId, 'ended', 200 + n));
    const active = [1, 2, 3, 4, 5].map((n) => tenancy(tenant.userId, carparkId, operatorId, 'active', 300 + n));
    await seed([...ended, ...active]);

    const pages = await allPages(`/tenancies?carparkId=${carparkId}&status=active`, token, 2);
    const ids = pages.flatMap((p) => p.items.map((t) => t.tenancyId));
    expect(ids).toEqual(expect.arrayContaining(active.map((t) => t.tenancyId)));
    expect(ids.filter((id) => ended.some((t) => t.tenancyId === id))).toEqual([]);
    // Every page but the last is full.
    expect(pages.slice(0, -1).every((p) => p.items.length === 2)).toBe(true);
    expect(pages[0]!.items).toHaveLength(2);
  });

  it("gives a tenant a full page of one car park's tenancies behind newer ones elsewhere (?carparkId&limit=2)", async () => {
    const tenant = await signUp(twin, 'pages.carpark@test.example');
    const here = cast.operatorX;
    const elsewhere = cast.operatorY;
    const mine = [1, 2, 3].map((n) => tenancy(tenant.userId, here.carparkId, here.operatorId, 'active', 400 + n));
    const other = Array.from({ length: 20 }, (_, n) => tenancy(tenant.userId, elsewhere.carparkId, elsewhere.operatorId, 'active', 500 + n));
    await seed([...mine, ...other]);

    const pages = await allPages(`/tenancies?carparkId=${here.carparkId}`, tenant.token, 2);
    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
    expect(pages.flatMap((p) => p.items.map((t) => t.carparkId))).toEqual([here.carparkId, here.carparkId, here.carparkId]);
  });

  it('bounds the reads of one page: past the read budget the page is short but its cursor continues', async () => {
    const tenant = await signUp(twin, 'pages.budget@test.example');
    const { carparkId, operatorId } = cast.operatorX;
    const active = tenancy(tenant.userId, carparkId, operatorId, 'active', 600);
    const ended = Array.from({ length: PAGE_READS * PAGE_READ_SIZE + 10 }, (_, n) => tenancy(tenant.userId, carparkId, operatorId, 'ended', 700 + n));
    await seed([active, ...ended]);

    const first = await twin.request('GET', '/tenancies?status=active&limit=2', { token: tenant.token });
    expect(first.status, first.text).toBe(200);
    expect((first.json as Page).items).toEqual([]);
    expect((first.json as Page).nextCursor, 'the page stopped at its read budget, not at the end').toBeDefined();

    const pages = await allPages('/tenancies?status=active', tenant.token, 2);
    expect(pages.flatMap((p) => p.items.map((t) => t.tenancyId))).toEqual([active.tenancyId]);
  }, 30_000);
});

describe('items in a broken shape', () => {
  it('refuses a stored tenancy that does not match its schema as an internal error, never passing it on', async () => {
    const tenant = await signUp(twin, 'pages.corrupt@test.example');
    const good = tenancy(tenant.userId, cast.operatorX.carparkId, cast.operatorX.operatorId, 'active', 900);
    const { plate: _plate, ...withoutPlate } = stored(good);
    await twin.documentClient.send(
      new PutCommand({ TableName: twin.tableName, Item: { ...withoutPlate, monthlyAmount: 'ten pounds', barrier: { status: 'open' } } }),
    );

    const one = await twin.request('GET', `/tenancies/${good.tenancyId}`, { token: tenant.token });
    expect(one.status).toBe(500);
    expect(one.json).toMatchObject({ error: { code: 'internal_error' } });
    expect(one.text).not.toContain('ten pounds');
    const list = await twin.request('GET', '/tenancies', { token: tenant.token });
    expect(list.status).toBe(500);
  });
});
