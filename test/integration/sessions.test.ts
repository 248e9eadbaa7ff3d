/**
 * Sessions end when the reasons they were granted do: a password change or reset, a role change,
 * an email change, or the user being gone. Changing the email needs the current password, is
 * confirmed by the new address, is told to the old one and voids earlier reset links.
 * (The authorizer cache is off here; in production it lasts at most a minute, checked in infra.)
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';
import { PASSWORD, createCast, login, signUp, type Cast } from './actors';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ authorizerCacheTtlSeconds: 0 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const me = (token: string, userId: string) => twin.request('GET', `/users/${userId}`, { token });
const tokenFrom = (text: string | null | undefined) => decodeURIComponent(/token=([^\s]+)/.exec(text ?? '')![1]!);

describe('sessions', () => {
  it('end when the password is changed, for every token issued before', async () => {
    const sam = await signUp(twin, 'session.pw@example.com');
    const other = await login(twin, 'session.pw@example.com');
    expect((await me(other, sam.userId)).status).toBe(200);
    const changed = await twin.request('PATCH', `/users/${sam.userId}`, { token: sam.token, body: { password: 'Fresh-start-pass-2026', currentPassword: PASSWORD } });
    expect(changed.status, changed.text).toBe(200);
    expect((await me(other, sam.userId)).status).toBe(401);
    expect((await me(sam.token, sam.userId)).status).toBe(401);
    const fresh = await login(twin, 'session.pw@example.com', 'Fresh-start-pass-2026');
    expect((await me(fresh, sam.userId)).status).toBe(200);
  });

  it('end when the password is reset', async () => {
    const kim = await signUp(twin, 'session.reset@example.com');
    await twin.request('POST', '/auth/forgot-password', { body: { email: 'session.reset@example.com' } });
    const mail = await twin.outbox.waitFor((m) => m.to.includes('session.reset@example.com'), 5000);
    expect((await twin.request('POST', '/auth/reset-password', { body: { token: tokenFrom(mail.text), password: 'Fresh-start-pass-2026' } })).status).toBe(204);
    expect((await me(kim.token, kim.userId)).status).toBe(401);
  });

  it("end an operator's rights when an admin demotes them", async () => {
    const { operatorY } = cast;
    expect((await twin.request('GET', `/operators/${operatorY.operatorId}`, { token: operatorY.token })).status).toBe(200);
    const demoted = await twin.request('PATCH', `/users/${operatorY.userId}`, { token: cast.admin.token, body: { role: 'tenant' } });
    expect(demoted.status, demoted.text).toBe(200);
    expect((await twin.request('GET', `/operators/${operatorY.operatorId}`, { token: operatorY.token })).status).toBe(401);
  });

  it('end when the user no longer exists (401, never a 500)', async () => {
    const gone = await signUp(twin, 'session.gone@example.com');
    await twin.documentClient.send(new DeleteCommand({ TableName: twin.tableName, Key: { pk: `user#${gone.userId}`, sk: 'user' } }));
    for (const [method, path] of [['GET', `/users/${gone.userId}`], ['POST', '/billing'], ['GET', '/billing'], ['GET', '/tenancies']] as const) {
      const res = await twin.request(method, path, { token: gone.token });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
  });
});

describe('changing the login email', () => {
  it('needs the current password, waits for the new address to confirm, tells the old one and ends sessions', async () => {
    const ana = await signUp(twin, 'ana.old@example.com');
    const without = await twin.request('PATCH', `/users/${ana.userId}`, { token: ana.token, body: { email: 'ana.new@example.com' } });
    expect(without.status).toBe(422);

    // A reset link sent before the change must not survive it.
    await twin.request('POST', '/auth/forgot-password', { body: { email: 'ana.old@example.com' } });
    const reset = await twin.outbox.waitFor((m) => m.to.includes('ana.old@example.com') && /Reset/.test(m.subject), 5000);

    const asked = await twin.request('PATCH', `/users/${ana.userId}`, { token: ana.token, body: { email: 'ana.new@example.com', currentPassword: PASSWORD } });
    expect(asked.status, asked.text).toBe(200);
    expect(asked.json).toMatchObject({ email: 'ana.old@example.com' });
    await twin.outbox.waitFor((m) => m.to.includes('ana.old@example.com') && /change of your .* email was requested/.test(m.subject), 5000);
    const confirm = await twin.outbox.waitFor((m) => m.to.includes('ana.new@example.com'), 5000);
    expect(confirm.text).toContain(`${process.env.WEB_BASE_URL}/verify-email?token=`);

    const verified = await twin.request('POST', '/auth/verify-email', { body: { token: tokenFrom(confirm.text) } });
    expect(verified.status, verified.text).toBe(204);
    await twin.outbox.waitFor((m) => m.to.includes('ana.old@example.com') && /email was changed/.test(m.subject), 5000);
    expect((await me(ana.token, ana.userId)).status).toBe(401);
    expect((await twin.request('POST', '/auth/verify-email', { body: { token: tokenFrom(confirm.text) } })).status).toBe(400);
    const usedReset = await twin.request('POST', '/auth/reset-password', { body: { token: tokenFrom(reset.text), password: 'Takeover-pass-2026' } });
    expect(usedReset.status).toBe(400);
    await login(twin, 'ana.new@example.com');
  });
});
