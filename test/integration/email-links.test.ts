/**
 * Every email link lands on a page of the portal, and dates are written in words in the car
 * park's time zone (Europe/London unless the car park says otherwise).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const DAY = /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/;
const linksIn = (text: string | null) => [...(text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0].replace(/[).,]+$/, ''));

describe('car park time zones', () => {
  it('default to Europe/London, can be set, and must be real', async () => {
    const london = await createCarpark(twin, cast.operatorX);
    expect((await twin.request('GET', `/carparks/${london.carparkId}`)).json).toMatchObject({ timeZone: 'Europe/London' });
    const ny = await createCarpark(twin, cast.operatorX, { timeZone: 'America/New_York' });
    expect((await twin.request('GET', `/carparks/${ny.carparkId}`)).json).toMatchObject({ timeZone: 'America/New_York' });
    const bad = await twin.request('PATCH', `/carparks/${ny.carparkId}`, { token: cast.operatorX.token, body: { timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { details: [{ path: 'timeZone' }] } });
  });
});

describe('links and dates in emails', () => {
  it('a receipt links to the invoice in billing and gives its period in words', async () => {
    const tenant = await signUp(twin, 'receipt-links@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'EM01AAA')).tenancyId);
    const receipt = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.startsWith('Receipt'), 10_000);
    const { recentInvoices } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { recentInvoices: { invoiceId: string }[] };

    expect(linksIn(receipt.text)).toEqual([`${twin.webBaseUrl}/my/billing?invoice=${recentInvoices[0]!.invoiceId}`]);
    expect(receipt.html).toContain(`<a href="${twin.webBaseUrl}/my/billing?invoice=${recentInvoices[0]!.invoiceId}">`);
    expect(receipt.text).toMatch(new RegExp(`covering ${DAY.source} to ${DAY.source}`));
    expect(receipt.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a cancellation links to the tenancy and says when access ends, in words and on the car park’s clock', async () => {
    const tenant = await signUp(twin, 'cancel-links@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'EM02AAA')).tenancyId);
    await twin.request('DELETE', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token });
    const mail = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('is cancelled'), 10_000);

    expect(linksIn(mail.text)).toEqual([`${twin.webBaseUrl}/my/tenancies/${tenancy.tenancyId}`]);
    expect(mail.text).toMatch(new RegExp(`keeps opening until ${DAY.source} at \\d{2}:\\d{2}\\.`));
    const ended = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && m.subject.includes('has ended'), 10_000);
    expect(linksIn(ended.text)).toEqual([`${twin.webBaseUrl}/my/tenancies/${tenancy.tenancyId}`]);
  });

  it('a password reset links to the reset page with its token', async () => {
    const user = await signUp(twin, 'reset-links@test.example');
    await twin.request('POST', '/auth/forgot-password', { body: { email: user.email } });
    const mail = await twin.outbox.waitFor((m) => m.to.includes(user.email) && m.subject.startsWith('Reset'), 10_000);
    expect(linksIn(mail.text)).toEqual([expect.stringMatching(new RegExp(`^${twin.webBaseUrl}/reset-password\\?token=[\\w-]{43}$`))]);
  });
});
