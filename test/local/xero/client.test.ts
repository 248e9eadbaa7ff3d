/** The Xero client against the Xero simulator, over real HTTP. Waits are recorded, never slept. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  XeroCredentialsError,
  XeroUnavailableError,
  createXeroClient,
  toMinorUnits,
  xeroDate,
  type XeroClientOptions,
} from '../../../functions/adapters/xero/client';
import { startXeroSimulator, type SeedInvoice, type XeroSimulator } from '../../../local/xero/simulator';

const CLIENT_ID = 'test-xero-client';
const CLIENT_SECRET = 'test-xero-secret';
const CONTACT = '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d';
const OTHER_CONTACT = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';

let simulator: XeroSimulator;
/** The client's clock: moves only when the client waits or a test advances it. */
let clock: number;
let waits: number[];

beforeEach(async () => {
  simulator = await startXeroSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  simulator.addContact({ contactId: CONTACT, name: 'Acme Logistics Ltd' });
  simulator.addContact({ contactId: OTHER_CONTACT, name: 'Other Company Ltd' });
  clock = Date.parse('2026-11-24T09:00:00Z');
  waits = [];
});

afterEach(async () => {
  await simulator.close();
});

function clientFor(options: Partial<XeroClientOptions> = {}) {
  return createXeroClient({
    apiBaseUrl: simulator.url,
    identityBaseUrl: simulator.url,
    credentials: async () => ({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...options,
  });
}

/** `count` monthly invoices of £100 from January 2020, numbered INV-0001 on. */
const monthly = (count: number, overrides: Partial<SeedInvoice> = {}): SeedInvoice[] =>
  Array.from({ length: count }, (_, i) => ({
    invoiceNumber: `INV-${String(i + 1).padStart(4, '0')}`,
    date: new Date(Date.UTC(2020, i, 1)).toISOString().slice(0, 10),
    total: 100,
    status: 'PAID' as const,
    ...overrides,
  }));

const invoiceCalls = () => simulator.calls().filter((c) => c.path.startsWith('/api.xro/2.0/Invoices?'));
const pageOf = (path: string) => new URL(path, 'http://x').searchParams.get('page');

describe('listing a contact’s invoices', () => {
  it('maps Xero’s invoices to minor units, dates and statuses, newest first', async () => {
    simulator.addInvoices(CONTACT, [
      { invoiceNumber: 'INV-0001', date: '2026-09-01', dueDate: '2026-09-15', total: 1440, status: 'PAID' },
      { invoiceNumber: 'INV-0002', date: '2026-10-01', dueDate: '2026-10-15', total: 1440.5, amountPaid: 440, status: 'AUTHORISED' },
    ]);

    const invoices = await clientFor().listInvoices(CONTACT);

    expect(invoices).toEqual([
      {
        invoiceNumber: 'INV-0002',
        issuedOn: '2026-10-01',
        dueOn: '2026-10-15',
        total: 144_050,
        amountDue: 100_050,
        currency: 'gbp',
        status: 'awaiting_payment',
        onlineUrl: expect.stringMatching(new RegExp(`^${simulator.url}/in/`)),
      },
      {
        invoiceNumber: 'INV-0001',
        issuedOn: '2026-09-01',
        dueOn: '2026-09-15',
        total: 144_000,
        amountDue: 0,
        currency: 'gbp',
        status: 'paid',
        onlineUrl: null,
      },
    ]);
  });

  it('shows only issued sales invoices of the contact asked for', async () => {
    simulator.addInvoices(CONTACT, [
      { invoiceNumber: 'INV-0001', date: '2026-09-01', total: 10, status: 'AUTHORISED' },
      { invoiceNumber: 'DRAFT-1', date: '2026-09-02', total: 10, status: 'DRAFT' },
      { invoiceNumber: 'SUB-1', date: '2026-09-03', total: 10, status: 'SUBMITTED' },
      { invoiceNumber: 'VOID-1', date: '2026-09-04', total: 10, status: 'VOIDED' },
      { invoiceNumber: 'BILL-1', date: '2026-09-05', total: 10, status: 'AUTHORISED', type: 'ACCPAY' },
    ]);
    simulator.addInvoices(OTHER_CONTACT, [{ invoiceNumber: 'OTHER-1', date: '2026-09-06', total: 10, status: 'PAID' }]);

    const invoices = await clientFor().listInvoices(CONTACT);

    expect(invoices.map((i) => i.invoiceNumber)).toEqual(['INV-0001']);
  });

  it('pages through more than 100 invoices and stops at the first short page', async () => {
    simulator.addInvoices(CONTACT, monthly(250));

    const invoices = await clientFor().listInvoices(CONTACT);

    expect(invoices).toHaveLength(250);
    expect(invoices[0]?.invoiceNumber).toBe('INV-0250');
    expect(invoices.at(-1)?.invoiceNumber).toBe('INV-0001');
    expect(new Set(invoices.map((i) => i.invoiceNumber)).size).toBe(250);
    expect(invoiceCalls().map((c) => pageOf(c.path))).toEqual(['1', '2', '3']);
  });

  it('reads one more, empty, page when the invoices fill whole pages', async () => {
    simulator.addInvoices(CONTACT, monthly(200));

    const invoices = await clientFor().listInvoices(CONTACT);

    expect(invoices).toHaveLength(200);
    expect(invoiceCalls().map((c) => pageOf(c.path))).toEqual(['1', '2', '3']);
  });

  it('reads at most maxPages pages, keeping the newest invoices', async () => {
    simulator.addInvoices(CONTACT, monthly(250));

    const invoices = await clientFor({ maxPages: 2 }).listInvoices(CONTACT);

    expect(invoices).toHaveLength(200);
    expect(invoices.at(-1)?.invoiceNumber).toBe('INV-0051');
  });

  it('asks Xero for the contact’s issued invoices by its documented query parameters', async () => {
    await clientFor().listInvoices(CONTACT);

    const query = new URL(invoiceCalls()[0]!.path, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ ContactIDs: CONTACT, Statuses: 'AUTHORISED,PAID', order: 'Date DESC', page: '1' });
  });
});

describe('contacts', () => {
  const ARCHIVED = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

  it('finds a contact by id in any case, with its email and whether it is archived', async () => {
    simulator.addContact({ contactId: ARCHIVED, name: 'Initech Ltd', email: 'ap@initech.example', status: 'ARCHIVED' });
    const client = clientFor();

    expect(await client.findContact(CONTACT.toUpperCase())).toEqual({ contactId: CONTACT, name: 'Acme Logistics Ltd', email: null, archived: false });
    expect(await client.findContact(ARCHIVED)).toEqual({ contactId: ARCHIVED, name: 'Initech Ltd', email: 'ap@initech.example', archived: true });
  });

  it('answers undefined for a contact Xero does not have', async () => {
    expect(await clientFor().findContact('11111111-2222-4333-8444-555555555555')).toBeUndefined();
  });

  it('searches active contacts by part of the name or email, a page at a time, in name order', async () => {
    simulator.addContact({ name: 'Acme Holdings plc', email: 'finance@acme-holdings.example' });
    simulator.addContact({ name: 'Beacon Fleet Ltd', email: 'fleet@acme.example' });
    simulator.addContact({ contactId: ARCHIVED, name: 'Acme (old)', status: 'ARCHIVED' });
    const client = clientFor();

    const first = await client.searchContacts('ACME', 1, 2);
    const second = await client.searchContacts('ACME', 2, 2);

    expect(first.contacts.map((c) => c.name)).toEqual(['Acme Holdings plc', 'Acme Logistics Ltd']);
    expect(first.hasMore).toBe(true);
    expect(second.contacts.map((c) => c.name)).toEqual(['Beacon Fleet Ltd']);
    expect(second.hasMore).toBe(false);
    const asked = new URL(simulator.calls().find((c) => c.path.startsWith('/api.xro/2.0/Contacts?'))!.path, 'http://x').searchParams;
    expect(Object.fromEntries(asked)).toEqual({ searchTerm: 'ACME', page: '1', pageSize: '2', summaryOnly: 'true', order: 'Name ASC' });
  });

  it('lists every active contact when the search is empty', async () => {
    const { contacts } = await clientFor().searchContacts('  ', 1, 20);

    expect(contacts.map((c) => c.name)).toEqual(['Acme Logistics Ltd', 'Other Company Ltd']);
    expect(simulator.calls().at(-1)!.path).not.toContain('searchTerm');
  });

  it('fails as unavailable while Xero is down', async () => {
    simulator.faults.down(503);

    await expect(clientFor().findContact(CONTACT)).rejects.toBeInstanceOf(XeroUnavailableError);
    await expect(clientFor().searchContacts('acme', 1, 20)).rejects.toBeInstanceOf(XeroUnavailableError);
  });
});

describe('online invoice links', () => {
  it('fetches links for invoices still to be paid only, and remembers them', async () => {
    simulator.addInvoices(CONTACT, [...monthly(3), ...monthly(2, { status: 'AUTHORISED', date: '2026-10-01' })]);
    const client = clientFor();

    const first = await client.listInvoices(CONTACT);
    const second = await client.listInvoices(CONTACT);

    const onlineCalls = simulator.calls().filter((c) => c.path.endsWith('/OnlineInvoice'));
    expect(onlineCalls).toHaveLength(2);
    expect(first.filter((i) => i.onlineUrl !== null).map((i) => i.status)).toEqual(['awaiting_payment', 'awaiting_payment']);
    expect(second).toEqual(first);
  });

  it('fetches at most onlineUrlLimit links per listing', async () => {
    simulator.addInvoices(CONTACT, monthly(4, { status: 'AUTHORISED' }));

    const invoices = await clientFor({ onlineUrlLimit: 2 }).listInvoices(CONTACT);

    expect(invoices.map((i) => i.onlineUrl !== null)).toEqual([true, true, false, false]);
  });

  it('lists the invoices without links when Xero rate-limits the link requests', async () => {
    simulator.addInvoices(CONTACT, monthly(2, { status: 'AUTHORISED' }));
    // The invoices are served; then the link requests meet the daily limit.
    const limitLinks: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/OnlineInvoice')) simulator.faults.rateLimit(10, 3600, 'day');
      return fetch(input, init);
    };

    const invoices = await clientFor({ fetch: limitLinks }).listInvoices(CONTACT);

    expect(invoices.map((i) => i.invoiceNumber)).toEqual(['INV-0002', 'INV-0001']);
    expect(invoices.every((i) => i.onlineUrl === null)).toBe(true);
    expect(simulator.calls().filter((c) => c.path.endsWith('/OnlineInvoice'))).toHaveLength(1);
  });

  it('serves a page at the link', async () => {
    simulator.addInvoices(CONTACT, [{ invoiceNumber: 'INV-0042', date: '2026-10-01', total: 99, status: 'AUTHORISED' }]);
    const [invoice] = await clientFor().listInvoices(CONTACT);

    const page = await fetch(invoice!.onlineUrl!);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('INV-0042');
  });
});

describe('Xero’s rate limits and failures', () => {
  it('waits out Retry-After on 429 and then succeeds', async () => {
    simulator.addInvoices(CONTACT, monthly(1));
    const client = clientFor();
    await client.listInvoices(OTHER_CONTACT);
    simulator.faults.rateLimit(2, 2);

    const invoices = await client.listInvoices(CONTACT);

    expect(invoices).toHaveLength(1);
    expect(waits).toEqual([2000, 2000]);
    expect(invoiceCalls().slice(-3).map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('gives up at once when Retry-After is longer than worth waiting (the daily limit)', async () => {
    const client = clientFor();
    await client.listInvoices(OTHER_CONTACT);
    simulator.faults.rateLimit(1, 3600, 'day');

    const error = await client.listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(XeroUnavailableError);
    expect(error).toMatchObject({ reason: 'rate_limited', status: 429, retryAfterSeconds: 3600, message: expect.stringContaining('day') });
    expect(waits).toEqual([]);
  });

  it('stops after a bounded number of tries and fails as unavailable', async () => {
    const client = clientFor({ maxAttempts: 3 });
    await client.listInvoices(OTHER_CONTACT);
    simulator.clearCalls();
    simulator.faults.rateLimit(10, 0);

    const error = await client.listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'XeroUnavailable', reason: 'rate_limited' });
    expect(simulator.calls()).toHaveLength(3);
  });

  it('never waits beyond its time budget', async () => {
    const client = clientFor({ budgetMs: 3000, maxAttempts: 5 });
    await client.listInvoices(OTHER_CONTACT);
    simulator.faults.rateLimit(10, 2);

    const error = await client.listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toMatchObject({ reason: 'rate_limited' });
    expect(waits).toEqual([2000]);
  });

  it('retries a 5xx with backoff', async () => {
    simulator.addInvoices(CONTACT, monthly(1));
    const client = clientFor();
    await client.listInvoices(OTHER_CONTACT);
    simulator.faults.fail(1, 502);

    const invoices = await client.listInvoices(CONTACT);

    expect(invoices).toHaveLength(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(1000);
  });

  it('fails as unavailable while Xero is down', async () => {
    simulator.faults.down(503);

    const error = await clientFor().listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(XeroUnavailableError);
    expect(error).toMatchObject({ reason: 'server_error', status: 503 });
  });

  it('fails as unavailable when Xero cannot be reached', async () => {
    await simulator.close();

    const error = await clientFor().listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'XeroUnavailable', reason: 'network' });
  });
});

describe('the access token', () => {
  it('is requested once and reused while it is valid', async () => {
    const client = clientFor();

    await client.listInvoices(CONTACT);
    clock += 20 * 60 * 1000;
    await client.listInvoices(CONTACT);

    expect(simulator.tokensIssued()).toBe(1);
  });

  it('is shared by concurrent requests', async () => {
    const client = clientFor();

    await Promise.all([client.listInvoices(CONTACT), client.listInvoices(OTHER_CONTACT), client.listInvoices(CONTACT)]);

    expect(simulator.tokensIssued()).toBe(1);
  });

  it('is renewed shortly before it expires', async () => {
    const client = clientFor();

    await client.listInvoices(CONTACT);
    clock += 29.5 * 60 * 1000;
    await client.listInvoices(CONTACT);

    expect(simulator.tokensIssued()).toBe(2);
  });

  it('is renewed when Xero no longer accepts it, and the request goes through', async () => {
    simulator.addInvoices(CONTACT, monthly(1));
    const client = clientFor();
    await client.listInvoices(CONTACT);
    simulator.revokeTokens();

    const invoices = await client.listInvoices(CONTACT);

    expect(invoices).toHaveLength(1);
    expect(simulator.tokensIssued()).toBe(2);
  });

  it('is sent as Basic client credentials with the client_credentials grant', async () => {
    const seen: { authorization: string | null; body: string }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/connect/token')) {
        seen.push({ authorization: new Headers(init?.headers).get('authorization'), body: String(init?.body) });
      }
      return fetch(input, init);
    };

    await clientFor({ fetch: recordingFetch }).listInvoices(CONTACT);

    expect(seen).toEqual([
      { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, body: 'grant_type=client_credentials' },
    ]);
  });
});

describe('bad credentials', () => {
  it('fail with a typed credentials error, without retrying', async () => {
    const client = clientFor({ credentials: async () => ({ clientId: CLIENT_ID, clientSecret: 'wrong' }) });

    const error = await client.listInvoices(CONTACT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(XeroCredentialsError);
    expect(error).toMatchObject({ reason: 'credentials', message: expect.stringContaining('invalid_client') });
    expect(simulator.calls()).toEqual([expect.objectContaining({ path: '/connect/token', status: 400 })]);
    expect(waits).toEqual([]);
  });

  it('that cannot be read (a malformed secret) fail the same way', async () => {
    const client = clientFor({ credentials: async () => JSON.parse('{"clientId": "only-the-id"}') as never });

    await expect(client.listInvoices(CONTACT)).rejects.toBeInstanceOf(XeroCredentialsError);
    expect(simulator.calls()).toEqual([]);
  });
});

describe('Xero’s formats', () => {
  it('reads dates from DateString or from Microsoft JSON dates', () => {
    expect(xeroDate('2026-01-31T00:00:00', undefined)).toBe('2026-01-31');
    expect(xeroDate(undefined, '/Date(1769817600000+0000)/')).toBe('2026-01-31');
    expect(xeroDate(undefined, 'yesterday')).toBeUndefined();
  });

  it('converts amounts to the currency’s minor units', () => {
    expect(toMinorUnits(1440.5, 'gbp')).toBe(144_050);
    expect(toMinorUnits(0.1 + 0.2, 'eur')).toBe(30);
    expect(toMinorUnits(5000, 'jpy')).toBe(5000);
    expect(toMinorUnits(1.234, 'kwd')).toBe(1234);
  });
});
