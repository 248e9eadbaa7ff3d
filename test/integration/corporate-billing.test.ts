/**
 * Corporate billing through the twin: an admin links a corporate tenant to a Xero contact, and
 * GET /billing shows that contact's invoices from the Xero simulator beside the Stripe part.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BillingResponse, XeroContactListResponse } from '../../functions/api/schemas';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
/** A corporate tenant with a Stripe card, linked to ACME_CONTACT. */
let acme: Actor;
const ACME_CONTACT = randomUUID();

beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
  acme = await signUp(twin, 'accounts@acme.example', { accountType: 'corporate' });
  await addCard(twin, acme);
  twin.integrations.xero.addContact({
    contactId: ACME_CONTACT,
    name: 'Acme Logistics Ltd',
    invoices: [
      { invoiceNumber: 'INV-0101', date: '2026-09-01', dueDate: '2026-09-15', total: 1440, status: 'PAID' },
      { invoiceNumber: 'INV-0102', date: '2026-10-01', dueDate: '2026-10-15', total: 1440, status: 'AUTHORISED' },
      { invoiceNumber: 'INV-0103', date: '2026-10-02', total: 99, status: 'DRAFT' },
    ],
  });
  const linked = await link(cast.admin, acme.userId, ACME_CONTACT);
  expect(linked.status, linked.text).toBe(200);
});
afterEach(() => twin.integrations.xero.faults.clear());
afterAll(() => twin?.close());

const link = (caller: Actor, userId: string, contactId: string) =>
  twin.request('PUT', `/users/${userId}/xero-contact`, { token: caller.token, body: { contactId } });

async function billingOf(tenant: Actor) {
  const res = await twin.request('GET', '/billing', { token: tenant.token });
  expect(res.status, res.text).toBe(200);
  return BillingResponse.parse(res.json);
}

describe('an admin linking a user to a Xero contact', () => {
  it('links a corporate tenant (again, idempotently) and answers with the link', async () => {
    const res = await link(cast.admin, acme.userId, ACME_CONTACT.toUpperCase());

    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      userId: acme.userId,
      contactId: ACME_CONTACT,
      contactName: 'Acme Logistics Ltd',
      linkedAt: expect.any(String),
      linkedBy: cast.admin.userId,
    });
  });

  it('answers 422 naming the field for a contact Xero does not have, and keeps the link there was', async () => {
    const res = await link(cast.admin, acme.userId, randomUUID());

    expect(res.status, res.text).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'contactId', message: 'Xero has no contact with this id.' }] } });
    const billing = await billingOf(acme);
    expect(billing.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'INV-0102' }, { invoiceNumber: 'INV-0101' }] });
  });

  it('answers 422 for a contact archived in Xero', async () => {
    const archived = twin.integrations.xero.addContact({ name: 'Acme Old Ltd', status: 'ARCHIVED' });

    const res = await link(cast.admin, acme.userId, archived);

    expect(res.status, res.text).toBe(422);
    expect(res.json).toMatchObject({ error: { details: [{ path: 'contactId', message: expect.stringMatching(/^Acme Old Ltd is archived in Xero/) }] } });
  });

  it('answers 503, linking nothing, while Xero is down', async () => {
    const other = twin.integrations.xero.addContact({ name: 'Acme Other Ltd' });
    twin.integrations.xero.faults.down(503);

    const res = await link(cast.admin, acme.userId, other);

    expect(res.status, res.text).toBe(503);
    expect(res.json).toMatchObject({ error: { code: 'dependency_unavailable' } });
    twin.integrations.xero.faults.clear();
    const billing = await billingOf(acme);
    expect(billing.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'INV-0102' }, { invoiceNumber: 'INV-0101' }] });
  });

  it('is refused to anyone but an admin, the user themselves included', async () => {
    for (const caller of [acme, cast.tenantA, cast.operatorX]) {
      const res = await link(caller, acme.userId, randomUUID());
      expect(res.status, res.text).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'forbidden' } });
    }
    const billing = await billingOf(acme);
    expect(billing.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'INV-0102' }, { invoiceNumber: 'INV-0101' }] });
  });

  it('answers 404 for a user that does not exist', async () => {
    const res = await link(cast.admin, 'usr_00000000000000000000', ACME_CONTACT);

    expect(res.status, res.text).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers 409 for an individual account', async () => {
    const res = await link(cast.admin, cast.tenantA.userId, ACME_CONTACT);

    expect(res.status, res.text).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'not_corporate_account' } });
  });

  it('answers 422 naming the field for a contact id that is not a GUID', async () => {
    const res = await link(cast.admin, acme.userId, 'ACME-LTD');

    expect(res.status, res.text).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'contactId' }] } });
  });
});

describe('an admin searching Xero contacts', () => {
  const search = (query: string) => twin.request('GET', `/xero/contacts${query}`, { token: cast.admin.token });

  it('finds active contacts by part of the name or email, in name order, and leaves archived ones out', async () => {
    const globex = twin.integrations.xero.addContact({ name: 'Globex Search Ltd', email: 'ap@globex-search.example' });
    twin.integrations.xero.addContact({ name: 'Globex Search (old)', status: 'ARCHIVED' });

    const byName = await search('?search=globex%20search');
    const byEmail = await search('?search=AP@GLOBEX-SEARCH');

    expect(byName.status, byName.text).toBe(200);
    expect(XeroContactListResponse.parse(byName.json)).toEqual({
      items: [{ contactId: globex, name: 'Globex Search Ltd', email: 'ap@globex-search.example', archived: false }],
    });
    expect(XeroContactListResponse.parse(byEmail.json).items.map((c) => c.contactId)).toEqual([globex]);
  });

  it('pages 20 at a time with a cursor', async () => {
    for (let i = 0; i < 21; i++) twin.integrations.xero.addContact({ name: `Paged Fleet ${String(i).padStart(2, '0')}` });

    const first = XeroContactListResponse.parse((await search('?search=paged%20fleet')).json);
    const second = XeroContactListResponse.parse((await search(`?search=paged%20fleet&cursor=${first.nextCursor}`)).json);

    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toBe('2');
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'Paged Fleet 20' })] });
  });

  it('answers 422 for a cursor it did not give, and 503 while Xero is down', async () => {
    const badCursor = await search('?cursor=abc');
    twin.integrations.xero.faults.down(503);
    const down = await search('?search=acme');

    expect(badCursor.status, badCursor.text).toBe(422);
    expect(badCursor.json).toMatchObject({ error: { details: [{ path: 'cursor' }] } });
    expect(down.status, down.text).toBe(503);
  });
});

describe('GET /billing with Xero invoices', () => {
  it('shows a linked corporate tenant their issued Xero invoices beside their Stripe billing', async () => {
    const billing = await billingOf(acme);

    expect(billing.customerId).toMatch(/^cus_/);
    expect(billing.defaultCard).toMatchObject({ brand: 'visa' });
    expect(billing.xeroInvoices).toEqual({
      status: 'available',
      items: [
        {
          invoiceNumber: 'INV-0102',
          issuedOn: '2026-10-01',
          dueOn: '2026-10-15',
          total: 144_000,
          amountDue: 144_000,
          currency: 'gbp',
          status: 'awaiting_payment',
          onlineUrl: expect.stringContaining(`${twin.integrations.xero.url}/in/`),
        },
        {
          invoiceNumber: 'INV-0101',
          issuedOn: '2026-09-01',
          dueOn: '2026-09-15',
          total: 144_000,
          amountDue: 0,
          currency: 'gbp',
          status: 'paid',
          onlineUrl: null,
        },
      ],
    });
  });

  it('shows an individual tenant no Xero part at all', async () => {
    await addCard(twin, cast.tenantA);

    const billing = await billingOf(cast.tenantA);

    expect(billing.customerId).toMatch(/^cus_/);
    expect(billing).not.toHaveProperty('xeroInvoices');
  });

  it('shows a corporate tenant not yet linked no Xero part', async () => {
    const unlinked = await signUp(twin, 'new.company@test.example', { accountType: 'corporate' });

    expect(await billingOf(unlinked)).not.toHaveProperty('xeroInvoices');
  });

  it('shows each corporate tenant only their own contact’s invoices', async () => {
    const globex = await signUp(twin, 'finance@globex.example', { accountType: 'corporate' });
    const globexContact = twin.integrations.xero.addContact({
      name: 'Globex Corporation',
      invoices: [{ invoiceNumber: 'GLX-1', date: '2026-10-05', total: 50, status: 'AUTHORISED' }],
    });
    expect((await link(cast.admin, globex.userId, globexContact)).status).toBe(200);

    const [globexBilling, acmeBilling] = await Promise.all([billingOf(globex), billingOf(acme)]);

    expect(globexBilling.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'GLX-1' }] });
    expect(acmeBilling.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'INV-0102' }, { invoiceNumber: 'INV-0101' }] });
  });

  it('rides out a brief Xero rate limit', async () => {
    twin.integrations.xero.faults.rateLimit(1, 0);

    const billing = await billingOf(acme);

    expect(billing.xeroInvoices).toMatchObject({ status: 'available', items: [{ invoiceNumber: 'INV-0102' }, { invoiceNumber: 'INV-0101' }] });
  });

  it('still answers 200 with the Stripe part, and marks Xero unavailable, while Xero is down', async () => {
    twin.integrations.xero.faults.down(503);

    const res = await twin.request('GET', '/billing', { token: acme.token });

    expect(res.status, res.text).toBe(200);
    const billing = BillingResponse.parse(res.json);
    expect(billing.customerId).toMatch(/^cus_/);
    expect(billing.defaultCard).toMatchObject({ brand: 'visa' });
    expect(billing.xeroInvoices).toEqual({ status: 'unavailable', message: expect.stringMatching(/Xero/) });
  });

  it('marks Xero unavailable, without waiting, when Xero’s daily limit is hit', async () => {
    twin.integrations.xero.faults.rateLimit(5, 3600, 'day');
    const before = twin.integrations.xero.calls().length;

    const billing = await billingOf(acme);

    expect(billing.xeroInvoices).toEqual({ status: 'unavailable', message: expect.any(String), retryAfterSeconds: 3600 });
    // Given up on the first 429: no retry, so no wait.
    const made = twin.integrations.xero.calls().slice(before);
    expect(made.map((call) => call.status)).toEqual([429]);
  });
});
