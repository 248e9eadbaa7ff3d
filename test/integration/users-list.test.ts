/**
 * The admin's user list (GET /users) through the twin: every account in email order a page at a
 * time, search by email or name prefix in any case, the indexes following name and email changes,
 * nothing secret in the answer, bad searches refused with 422. Who may call it is in
 * authorization.test.ts (admins only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';

interface UserPage {
  items: { userId: string; email: string; name: string; role: string }[];
  nextCursor?: string;
}

let twin: TestTwin;
let cast: Cast;

beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
  await Promise.all([
    signUp(twin, 'zelda.quinn@test.example', { name: 'Zelda Quinn' }),
    signUp(twin, 'zed.stone@test.example', { name: 'zed  Stone' }),
    signUp(twin, 'ann.smith@other.example', { name: 'Ann Smith' }),
  ]);
});
afterAll(() => twin?.close());

const list = async (query: string) => {
  const res = await twin.request('GET', `/users${query}`, { token: cast.admin.token });
  expect(res.status, res.text).toBe(200);
  return res.json as UserPage;
};

describe('the admin’s user list', () => {
  it('lists every account in email order, a page at a time, each once', async () => {
    const emails: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      emails.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    // The cast (admin, two tenants, two operators) and the three above.
    expect(emails).toHaveLength(8);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails).toContain(cast.operatorX.email);
  });

  it('finds accounts by the start of the email, in any case', async () => {
    expect((await list('?email=ZE')).items.map((u) => u.email)).toEqual(['zed.stone@test.example', 'zelda.quinn@test.example']);
    expect((await list('?email=ann.smith@other')).items.map((u) => u.name)).toEqual(['Ann Smith']);
    expect((await list('?email=nobody')).items).toEqual([]);
  });

  it('finds accounts by the start of the name, in any case and spacing, not by a later word', async () => {
    expect((await list('?name=ZEL')).items.map((u) => u.email)).toEqual(['zelda.quinn@test.example']);
    expect((await list(`?name=${encodeURIComponent('Zed stone')}`)).items.map((u) => u.email)).toEqual(['zed.stone@test.example']);
    expect((await list('?name=Quinn')).items).toEqual([]);
  });

  it('follows a change of name or email', async () => {
    const user = await signUp(twin, 'renamed@test.example', { name: 'Old Name' });
    const renamed = await twin.request('PATCH', `/users/${user.userId}`, {
      token: cast.admin.token,
      // An admin changing another user's email changes it at once.
      body: { name: 'New Name', email: 'moved@test.example' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await list('?name=old')).items).toEqual([]);
    expect((await list('?name=new')).items.map((u) => u.userId)).toEqual([user.userId]);
    expect((await list('?email=renamed')).items).toEqual([]);
    expect((await list('?email=moved')).items.map((u) => u.userId)).toEqual([user.userId]);
  });

  it('never answers with a password hash or token version', async () => {
    const res = await twin.request('GET', '/users?limit=100', { token: cast.admin.token });
    expect(res.text).not.toMatch(/passwordHash|passwordChangedAt|tokenVersion|scrypt/);
  });

  it('refuses a search by both email and name, and bad page sizes, with 422', async () => {
    for (const query of ['?email=a&name=b', '?limit=0', '?limit=101', '?limit=abc', `?name=${'x'.repeat(101)}`]) {
      const res = await twin.request('GET', `/users${query}`, { token: cast.admin.token });
      expect(res.status, `${query}: ${res.text}`).toBe(422);
      expect(res.json).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('refuses a forged cursor or one from the name list with 400', async () => {
    const byName = await list('?name=z&limit=1');
    expect(byName.nextCursor).toBeDefined();
    const res = await twin.request('GET', `/users?limit=1&cursor=${encodeURIComponent(byName.nextCursor!)}`, { token: cast.admin.token });
    expect(res.status, res.text).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: 'tenancy#x', sk: 'tenancy', gsi1pk: 'users', gsi1sk: 'a' })).toString('base64url');
    expect((await twin.request('GET', `/users?cursor=${forged}`, { token: cast.admin.token })).status).toBe(400);
  });
});
