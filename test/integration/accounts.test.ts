import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserResponse, LoginResponse } from '../../functions/api/schemas';
import { startTestTwin } from '../support/twin';
import { PASSWORD, login, signUp } from './actors';

let twin: Awaited<ReturnType<typeof startTestTwin>>;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin?.close());

const resetTokenFrom = (text: string) => decodeURIComponent(/reset-password\?token=([^\s"<]+)/.exec(text)?.[1] ?? '');

describe('sign-up and login', () => {
  it('signs up a tenant and logs in with the email in any case', async () => {
    const res = await twin.request('POST', '/users', {
      body: { email: 'Jo@Example.com', password: PASSWORD, name: 'Jo', phone: '+44 7700 900123', accountType: 'corporate' },
    });
    expect(res.status).toBe(201);
    const user = UserResponse.parse(res.json);
    expect(user).toMatchObject({ email: 'jo@example.com', role: 'tenant', accountType: 'corporate' });
    expect(res.text).not.toContain('passwordHash');
    expect(res.text).not.toContain('scrypt');

    const loggedIn = await twin.request('POST', '/auth/login', { body: { email: 'JO@EXAMPLE.COM', password: PASSWORD } });
    expect(loggedIn.status).toBe(200);
    const body = LoginResponse.parse(loggedIn.json);
    expect(body.user.userId).toBe(user.userId);
    const lifetimeMs = Date.parse(body.expiresAt) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(59 * 60 * 1000);
    expect(lifetimeMs).toBeLessThanOrEqual(60 * 60 * 1000);
  });

  it('refuses a second account for the same email in another case with 409', async () => {
    await signUp(twin, 'dup@example.com');
    const res = await twin.request('POST', '/users', {
      body: { email: 'DUP@example.com', password: PASSWORD, name: 'Dup', accountType: 'individual' },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('refuses a weak password with 422 and the reasons', async () => {
    const res = await twin.request('POST', '/users', {
      body: { email: 'weak@example.com', password: 'password', name: 'Weak', accountType: 'individual' },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { details: expect.arrayContaining([expect.objectContaining({ path: 'password' })]) } });
  });

  it('locks the email for 15 minutes after 5 failed logins, known or unknown alike', async () => {
    await signUp(twin, 'lock@example.com');
    for (const email of ['lock@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 5; i++) {
        const res = await twin.request('POST', '/auth/login', { body: { email, password: 'Wrong-pass-2026' } });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error: { code: 'unauthenticated', message: 'The email or password is not right.' } });
      }
      const locked = await twin.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    }
  });
});

describe('changing an account', () => {
  it('changes the email, frees the old one and keeps the new one unique', async () => {
    const sam = await signUp(twin, 'sam@example.com');
    await signUp(twin, 'taken@example.com');

    const clash = await twin.request('PATCH', `/users/${sam.userId}`, {
      token: sam.token,
      body: { email: 'TAKEN@example.com', currentPassword: PASSWORD },
    });
    expect(clash.status).toBe(409);

    const moved = await twin.request('PATCH', `/users/${sam.userId}`, {
      token: sam.token,
      body: { email: 'samuel@example.com', currentPassword: PASSWORD, name: 'Samuel', phone: null },
    });
    expect(moved.status).toBe(200);
    // The email changes once the new address confirms it.
    expect(moved.json).toMatchObject({ email: 'sam@example.com', name: 'Samuel' });
    const confirm = await twin.outbox.waitFor((m) => m.to.includes('samuel@example.com'), 5000);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(confirm.text ?? '')![1]!);
    expect((await twin.request('POST', '/auth/verify-email', { body: { token } })).status).toBe(204);

    const samuel = await login(twin, 'samuel@example.com');
    expect((await twin.request('POST', '/auth/login', { body: { email: 'sam@example.com', password: PASSWORD } })).status).toBe(401);
    await signUp(twin, 'sam@example.com'); // the old address is free again
    const fetched = await twin.request('GET', `/users/${sam.userId}`, { token: samuel });
    expect(fetched.json).toMatchObject({ email: 'samuel@example.com', name: 'Samuel' });
  });

  it('changes the password only with the current one', async () => {
    const kim = await signUp(twin, 'kim@example.com');
    const without = await twin.request('PATCH', `/users/${kim.userId}`, { token: kim.token, body: { password: 'Kims-new-pass-77' } });
    expect(without.status).toBe(422);
    const changed = await twin.request('PATCH', `/users/${kim.userId}`, {
      token: kim.token,
      body: { password: 'Kims-new-pass-77', currentPassword: PASSWORD },
    });
    expect(changed.status).toBe(200);
    await login(twin, 'kim@example.com', 'Kims-new-pass-77');
  });
});

describe('password reset through the outbox', () => {
  it('answers 202 whether or not the account exists, and only emails a real one', async () => {
    await signUp(twin, 'lee@example.com');
    const before = (await twin.outbox.list()).length;
    expect((await twin.request('POST', '/auth/forgot-password', { body: { email: 'nobody@example.com' } })).status).toBe(202);
    expect((await twin.request('POST', '/auth/forgot-password', { body: { email: 'LEE@example.com' } })).status).toBe(202);
    const message = await twin.outbox.waitFor((m) => m.to.includes('lee@example.com'), 5000);
    expect(message.subject).toContain('Reset');
    expect((await twin.outbox.list()).length).toBe(before + 1);
  });

  it('sets a new password with the emailed link, once', async () => {
    await signUp(twin, 'ria@example.com');
    await twin.request('POST', '/auth/forgot-password', { body: { email: 'ria@example.com' } });
    const message = await twin.outbox.waitFor((m) => m.to.includes('ria@example.com'), 5000);
    const token = resetTokenFrom(message.text ?? "");
    expect(message.text).toContain(`${process.env.WEB_BASE_URL}/reset-password?token=`);

    const reset = await twin.request('POST', '/auth/reset-password', { body: { token, password: 'Rias-new-pass-88' } });
    expect(reset.status).toBe(204);
    await login(twin, 'ria@example.com', 'Rias-new-pass-88');

    const again = await twin.request('POST', '/auth/reset-password', { body: { token, password: 'Rias-other-pass-9' } });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ error: { code: 'invalid_token' } });
  });
});
