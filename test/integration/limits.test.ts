/**
 * Limits that protect accounts and inboxes, attacked as an outsider would: concurrent password
 * guesses, a stranger locking a victim out, reset emails on demand, contact-form bursts, and a
 * forged CloudFront viewer address on a request that did not come through CloudFront.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http/client-address';
import { ENV } from '../../functions/environment';
import { startTestTwin, type TestTwin } from '../support/twin';
import { PASSWORD, signUp } from './actors';

const ORIGIN_SECRET_ID = 'carpark-tenancy/test/origin-verify';
const ORIGIN_SECRET = 'distribution-only-value';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin({ secrets: { [ORIGIN_SECRET_ID]: ORIGIN_SECRET } });
  process.env[ENV.originVerifySecretId] = ORIGIN_SECRET_ID;
});
afterAll(async () => {
  delete process.env[ENV.originVerifySecretId];
  await twin?.close();
});

const post = (path: string, body: unknown, sourceIp: string, headers: Record<string, string> = {}) =>
  twin.gateway.handle({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), sourceIp });
const viaCloudFront = (viewerIp: string) => ({ [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET, [VIEWER_ADDRESS_HEADER]: `${viewerIp}:51234` });
const statuses = (list: { statusCode: number }[]) => list.map((r) => r.statusCode).sort();

describe('login lock-out', () => {
  it('checks at most five concurrent guesses per account and source', async () => {
    await signUp(twin, 'race@example.com');
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post('/auth/login', { email: 'race@example.com', password: `Wrong-pass-${i}` }, '198.51.100.20')),
    );
    expect(statuses(guesses).filter((s) => s === 401)).toHaveLength(5);
    expect(statuses(guesses).filter((s) => s === 429)).toHaveLength(15);
  });

  it("locks the stranger's source, not the owner elsewhere; a completed reset lifts the lock", async () => {
    await signUp(twin, 'victim@example.com');
    for (let i = 0; i < 6; i++) await post('/auth/login', { email: 'victim@example.com', password: 'Wrong-pass-2026' }, '203.0.113.66');
    expect((await post('/auth/login', { email: 'victim@example.com', password: PASSWORD }, '203.0.113.66')).statusCode).toBe(429);
    expect((await post('/auth/login', { email: 'victim@example.com', password: PASSWORD }, '198.51.100.21')).statusCode).toBe(200);

    // Locked out from one place (say, a shared office address): a reset lifts it.
    for (let i = 0; i < 6; i++) await post('/auth/login', { email: 'victim@example.com', password: 'Wrong-pass-2026' }, '198.51.100.22');
    expect((await post('/auth/login', { email: 'victim@example.com', password: PASSWORD }, '198.51.100.22')).statusCode).toBe(429);
    expect((await post('/auth/forgot-password', { email: 'victim@example.com' }, '198.51.100.22')).statusCode).toBe(202);
    const mail = await twin.outbox.waitFor((m) => m.to.includes('victim@example.com') && /Reset/.test(m.subject), 5000);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text ?? '')![1]!);
    const reset = await post('/auth/reset-password', { token, password: 'Fresh-start-pass-2026' }, '198.51.100.22');
    expect(reset.statusCode, String(reset.body)).toBeLessThan(300);
    expect((await post('/auth/login', { email: 'victim@example.com', password: 'Fresh-start-pass-2026' }, '198.51.100.22')).statusCode).toBe(200);
  });
});

describe('forgot-password', () => {
  it('sends a victim at most three reset emails an hour, however many sources ask', async () => {
    await signUp(twin, 'inbox@example.com');
    const asks = await Promise.all(Array.from({ length: 10 }, (_, i) => post('/auth/forgot-password', { email: 'inbox@example.com' }, `203.0.113.${100 + i}`)));
    expect(statuses(asks).filter((s) => s === 202)).toHaveLength(3);
    expect(statuses(asks).filter((s) => s === 429)).toHaveLength(7);
    const sent = (await twin.outbox.list()).filter((m) => m.to.includes('inbox@example.com'));
    expect(sent).toHaveLength(3);
  });
});

describe('the contact form', () => {
  const message = { name: 'Val Visitor', email: 'val@visitor.example', message: 'Is there EV charging?' };

  it('lets exactly five messages of a concurrent burst through', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, () => post('/contact', message, '198.51.100.30')));
    expect(statuses(burst).filter((s) => s === 202)).toHaveLength(5);
  });

  it("keys on the viewer's address CloudFront passes, and ignores one sent around CloudFront", async () => {
    // Two viewers behind the same CloudFront edge address are limited separately.
    for (let i = 0; i < 5; i++) expect((await post('/contact', message, '130.176.0.1', viaCloudFront('192.0.2.1'))).statusCode).toBe(202);
    expect((await post('/contact', message, '130.176.0.1', viaCloudFront('192.0.2.1'))).statusCode).toBe(429);
    expect((await post('/contact', message, '130.176.0.1', viaCloudFront('192.0.2.2'))).statusCode).toBe(202);

    // A caller reaching the API directly cannot pick a fresh address for each message.
    const forged = (ip: string) => ({ [VIEWER_ADDRESS_HEADER]: `${ip}:1`, [ORIGIN_VERIFY_HEADER]: 'guessed' });
    const direct = [];
    for (let i = 0; i < 6; i++) direct.push(await post('/contact', message, '203.0.113.200', forged(`192.0.2.${50 + i}`)));
    expect(statuses(direct)).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
