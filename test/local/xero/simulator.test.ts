/** The Xero simulator's own behaviour, as a client that is not ours would see it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startXeroSimulator, type XeroSimulator } from '../../../local/xero/simulator';

const CLIENT_ID = 'sim-client';
const CLIENT_SECRET = 'sim-secret';
const CONTACT = '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d';

let simulator: XeroSimulator;

beforeEach(async () => {
  simulator = await startXeroSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});

afterEach(async () => {
  await simulator.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(grant = 'client_credentials', authorization = basic(CLIENT_ID, CLIENT_SECRET)) {
  return fetch(`${simulator.url}/connect/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=${grant}`,
  });
}

async function invoices(query: string, accessToken?: string) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return fetch(`${simulator.url}/api.xro/2.0/Invoices?${query}`, { headers });
}

describe('the token endpoint', () => {
  it('issues a 30-minute bearer token for the right client credentials', async () => {
    const res = await token();

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ access_token: expect.any(String), expires_in: 1800, token_type: 'Bearer' });
  });

  it('refuses wrong credentials and other grants as OAuth2 errors', async () => {
    const wrong = await token('client_credentials', basic(CLIENT_ID, 'nope'));
    const grant = await token('authorization_code');

    expect([wrong.status, await wrong.json()]).toEqual([400, { error: 'invalid_client' }]);
    expect([grant.status, await grant.json()]).toEqual([400, { error: 'unsupported_grant_type' }]);
  });
});

describe('the Invoices endpoint', () => {
  it('answers 401 in Xero’s problem shape without a valid token', async () => {
    const res = await invoices('page=1', 'not-a-token');

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
  });

  it('filters by contact and status, and pages 100 at a time only when asked for a page', async () => {
    simulator.addContact({
      contactId: CONTACT,
      name: 'Acme',
      invoices: Array.from({ length: 120 }, (_, i) => ({ date: '2026-01-01', total: i + 1, status: i < 110 ? 'PAID' : 'DRAFT' }) as const),
    });
    simulator.addContact({ name: 'Other', invoices: [{ date: '2026-01-01', total: 5, status: 'PAID' }] });
    const { access_token: accessToken } = (await (await token()).json()) as { access_token: string };

    const all = (await (await invoices(`ContactIDs=${CONTACT}&Statuses=PAID`, accessToken)).json()) as { Invoices: unknown[] };
    const second = (await (await invoices(`ContactIDs=${CONTACT}&Statuses=PAID&page=2`, accessToken)).json()) as {
      Invoices: { Contact: { ContactID: string }; Status: string; DateString: string; Date: string }[];
      pagination: unknown;
    };

    expect(all.Invoices).toHaveLength(110);
    expect(second.Invoices).toHaveLength(10);
    expect(second.pagination).toEqual({ page: 2, pageSize: 100, pageCount: 2, itemCount: 110 });
    expect(second.Invoices[0]).toMatchObject({
      Contact: { ContactID: CONTACT },
      Status: 'PAID',
      DateString: '2026-01-01T00:00:00',
      Date: '/Date(1767225600000+0000)/',
    });
  });
});

describe('faults', () => {
  it('answers the next N requests with 429, Retry-After and the limit hit, then recovers', async () => {
    simulator.faults.rateLimit(2, 7, 'minute');

    const first = await token();
    const second = await token();
    const third = await token();

    expect([first.status, first.headers.get('retry-after'), first.headers.get('x-rate-limit-problem')]).toEqual([429, '7', 'minute']);
    expect(second.status).toBe(429);
    expect(third.status).toBe(200);
  });

  it('can be switched from outside the process', async () => {
    const set = await fetch(`${simulator.url}/_control/faults`, { method: 'POST', body: JSON.stringify({ down: { status: 502 } }) });
    expect(set.status).toBe(200);
    expect((await token()).status).toBe(502);

    await fetch(`${simulator.url}/_control/faults`, { method: 'DELETE' });
    expect((await token()).status).toBe(200);
  });
});

describe('seeding', () => {
  it('adds a contact with invoices over the control API and lists it on its page', async () => {
    const res = await fetch(`${simulator.url}/_control/contacts`, {
      method: 'POST',
      body: JSON.stringify({ contactId: CONTACT, name: 'Acme <Logistics>', invoices: [{ invoiceNumber: 'INV-7', date: '2026-02-01', total: 12 }] }),
    });

    expect(res.status).toBe(201);
    expect(simulator.invoices(CONTACT)).toEqual([expect.objectContaining({ InvoiceNumber: 'INV-7', Status: 'AUTHORISED', AmountDue: 12 })]);
    const page = await (await fetch(`${simulator.url}/`)).text();
    expect(page).toContain('Acme &lt;Logistics&gt;');
    expect(page).toContain('INV-7');
  });
});
