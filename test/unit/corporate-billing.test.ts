import { beforeEach, describe, expect, it } from 'vitest';
import type { BillingDeps } from '../../functions/domain/billing';
import {
  CorporateInvoicesUnavailableError,
  getBillingWithXeroInvoices,
  linkXeroContact,
  searchXeroContacts,
  type CorporateContact,
  type CorporateContactDirectory,
  type CorporateInvoice,
  type CorporateInvoiceSource,
  type XeroContactLink,
  type XeroContactLinks,
} from '../../functions/domain/corporate-billing';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import type { AccountType, Principal } from '../../functions/domain/identity';
import type { User } from '../../functions/domain/users';
import { FakeClock, fakeUsers } from './fakes';

const CONTACT = '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d';
const admin: Principal = { userId: 'usr_admin', role: 'admin' };

const invoice = (overrides: Partial<CorporateInvoice> = {}): CorporateInvoice => ({
  invoiceNumber: 'INV-0001',
  issuedOn: '2026-11-01',
  dueOn: '2026-11-15',
  total: 144_000,
  amountDue: 144_000,
  currency: 'gbp',
  status: 'awaiting_payment',
  onlineUrl: 'https://in.xero.example/abc',
  ...overrides,
});

/** Links kept in memory; the profile joins them to the users, as the table's query does. */
function fakeLinks(users: ReturnType<typeof fakeUsers>): XeroContactLinks & { saved: XeroContactLink[] } {
  const saved: XeroContactLink[] = [];
  return {
    saved,
    async profile(userId) {
      const user = users.all.get(userId);
      if (!user) return undefined;
      const link = saved.findLast((l) => l.userId === userId);
      return { accountType: user.accountType, ...(link && { xeroContactId: link.contactId }) };
    },
    async save(link) {
      saved.push(link);
    },
  };
}

/** Answers with fixed invoices per contact, or fails as told; records what it was asked. */
function fakeInvoiceSource(): CorporateInvoiceSource & { byContact: Map<string, CorporateInvoice[]>; failWith?: Error; asked: string[] } {
  const source = {
    byContact: new Map<string, CorporateInvoice[]>(),
    failWith: undefined as Error | undefined,
    asked: [] as string[],
    async listInvoices(contactId: string) {
      source.asked.push(contactId);
      if (source.failWith) throw source.failWith;
      return source.byContact.get(contactId) ?? [];
    },
  };
  return source;
}

const OTHER_CONTACT = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
const ARCHIVED_CONTACT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** Xero's contacts: two active, one archived; records the searches it was asked. */
function fakeContacts(): CorporateContactDirectory & { all: CorporateContact[]; searches: [string, number, number][]; failWith?: Error } {
  const directory = {
    all: [
      { contactId: CONTACT, name: 'Acme Logistics Ltd', email: 'accounts@acme.example', archived: false },
      { contactId: OTHER_CONTACT, name: 'Globex Freight plc', email: null, archived: false },
      { contactId: ARCHIVED_CONTACT, name: 'Initech (old)', email: null, archived: true },
    ] as CorporateContact[],
    searches: [] as [string, number, number][],
    failWith: undefined as Error | undefined,
    async findContact(contactId: string) {
      if (directory.failWith) throw directory.failWith;
      return directory.all.find((c) => c.contactId === contactId);
    },
    async searchContacts(term: string, page: number, pageSize: number) {
      directory.searches.push([term, page, pageSize]);
      const active = directory.all.filter((c) => !c.archived && c.name.toLowerCase().includes(term.toLowerCase()));
      const contacts = active.slice((page - 1) * pageSize, page * pageSize);
      return { contacts, hasMore: contacts.length === pageSize };
    },
  };
  return directory;
}

/** Stripe's side of GET /billing: no customer yet, which is enough to tell the parts apart. */
const stripeFree: Omit<BillingDeps, 'users' | 'clock'> = {
  billing: { get: async () => undefined } as unknown as BillingDeps['billing'],
  payments: {} as BillingDeps['payments'],
};

function setup() {
  const clock = new FakeClock();
  const users = fakeUsers();
  const links = fakeLinks(users);
  const invoices = fakeInvoiceSource();
  const contacts = fakeContacts();
  const addUser = (userId: string, accountType: AccountType) =>
    users.all.set(userId, { userId, accountType, role: 'tenant', email: `${userId}@example.com`, name: userId } as User);
  return {
    clock,
    users,
    links,
    invoices,
    addUser,
    contacts,
    linkDeps: { users, links, contacts, clock },
    billingDeps: { ...stripeFree, users, clock, links, invoices },
  };
}

let env: ReturnType<typeof setup>;
beforeEach(() => {
  env = setup();
});

describe('linking a user to a Xero contact', () => {
  it('records the contact in lower case, when and by which admin', async () => {
    env.addUser('usr_corp', 'corporate');

    const link = await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT.toUpperCase());

    expect(link).toEqual({
      userId: 'usr_corp',
      contactId: CONTACT,
      contactName: 'Acme Logistics Ltd',
      linkedAt: '2026-11-24T09:00:00.000Z',
      linkedBy: 'usr_admin',
    });
    expect(env.links.saved).toEqual([link]);
  });

  it('refuses a contact Xero does not have, naming the field, and links nothing', async () => {
    env.addUser('usr_corp', 'corporate');

    const error = await linkXeroContact(env.linkDeps, admin, 'usr_corp', '11111111-2222-4333-8444-555555555555').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ issues: [{ path: 'contactId', message: 'Xero has no contact with this id.' }] });
    expect(env.links.saved).toEqual([]);
  });

  it('refuses an archived contact, saying so by name', async () => {
    env.addUser('usr_corp', 'corporate');

    const error = await linkXeroContact(env.linkDeps, admin, 'usr_corp', ARCHIVED_CONTACT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ issues: [{ path: 'contactId', message: expect.stringMatching(/^Initech \(old\) is archived in Xero/) }] });
    expect(env.links.saved).toEqual([]);
  });

  it('links nothing while Xero cannot be read, and lets the outage through', async () => {
    env.addUser('usr_corp', 'corporate');
    env.contacts.failWith = new CorporateInvoicesUnavailableError('Xero contact: answered 503.', { reason: 'server_error' });

    await expect(linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT)).rejects.toBeInstanceOf(CorporateInvoicesUnavailableError);
    expect(env.links.saved).toEqual([]);
  });

  it('asks Xero nothing for a user it would refuse anyway', async () => {
    env.addUser('usr_ind', 'individual');
    env.contacts.failWith = new Error('Xero should not have been asked');

    await expect(linkXeroContact(env.linkDeps, admin, 'usr_ind', CONTACT)).rejects.toBeInstanceOf(ConflictError);
    await expect(linkXeroContact(env.linkDeps, admin, 'usr_nobody', CONTACT)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is for admins only, even for a tenant linking themselves', async () => {
    env.addUser('usr_corp', 'corporate');
    const self: Principal = { userId: 'usr_corp', role: 'tenant' };
    const operator: Principal = { userId: 'usr_op', role: 'operator', operatorId: 'op_1' };

    await expect(linkXeroContact(env.linkDeps, self, 'usr_corp', CONTACT)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(linkXeroContact(env.linkDeps, operator, 'usr_corp', CONTACT)).rejects.toBeInstanceOf(ForbiddenError);
    expect(env.links.saved).toEqual([]);
  });

  it('refuses an unknown user as not found', async () => {
    await expect(linkXeroContact(env.linkDeps, admin, 'usr_nobody', CONTACT)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an individual account as a conflict that says why', async () => {
    env.addUser('usr_ind', 'individual');

    const error = await linkXeroContact(env.linkDeps, admin, 'usr_ind', CONTACT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'not_corporate_account', message: expect.stringMatching(/corporate/) });
    expect(env.links.saved).toEqual([]);
  });

  it('moves a user to another contact when linked again', async () => {
    env.addUser('usr_corp', 'corporate');
    const other = OTHER_CONTACT;
    env.invoices.byContact.set(other, [invoice({ invoiceNumber: 'INV-0099' })]);

    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', other);
    const billing = await getBillingWithXeroInvoices(env.billingDeps, { userId: 'usr_corp', role: 'tenant' });

    expect(env.invoices.asked).toEqual([other]);
    expect(billing.xeroInvoices).toEqual({ status: 'available', items: [invoice({ invoiceNumber: 'INV-0099' })] });
  });
});

describe('searching Xero contacts to link', () => {
  it('gives admins a page of active contacts, and a cursor only when the page is full', async () => {
    for (let i = 0; i < 25; i++) {
      env.contacts.all.push({ contactId: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Fleet ${i}`, email: null, archived: false });
    }

    const first = await searchXeroContacts(env, admin, { search: 'fleet' });
    const second = await searchXeroContacts(env, admin, { search: 'fleet', cursor: first.nextCursor! });

    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toBe('2');
    expect(second.items.map((c) => c.name)).toEqual(['Fleet 20', 'Fleet 21', 'Fleet 22', 'Fleet 23', 'Fleet 24']);
    expect(second).not.toHaveProperty('nextCursor');
    expect(env.contacts.searches).toEqual([
      ['fleet', 1, 20],
      ['fleet', 2, 20],
    ]);
  });

  it('lists every active contact when there is nothing to search for', async () => {
    const page = await searchXeroContacts(env, admin, {});

    expect(page.items.map((c) => c.name)).toEqual(['Acme Logistics Ltd', 'Globex Freight plc']);
  });

  it('is for admins only', async () => {
    const tenant: Principal = { userId: 'usr_corp', role: 'tenant' };
    const operator: Principal = { userId: 'usr_op', role: 'operator', operatorId: 'op_1' };

    await expect(searchXeroContacts(env, tenant, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(searchXeroContacts(env, operator, {})).rejects.toBeInstanceOf(ForbiddenError);
    expect(env.contacts.searches).toEqual([]);
  });
});

describe('GET /billing for corporate accounts', () => {
  const corporate: Principal = { userId: 'usr_corp', role: 'tenant' };

  it('adds the linked contact’s invoices beside the Stripe part', async () => {
    env.addUser('usr_corp', 'corporate');
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    env.invoices.byContact.set(CONTACT, [invoice(), invoice({ invoiceNumber: 'INV-0000', status: 'paid', amountDue: 0 })]);

    const billing = await getBillingWithXeroInvoices(env.billingDeps, corporate);

    expect(billing).toMatchObject({ customerId: null, recentInvoices: [] });
    expect(billing.xeroInvoices).toEqual({
      status: 'available',
      items: [invoice(), invoice({ invoiceNumber: 'INV-0000', status: 'paid', amountDue: 0 })],
    });
  });

  it('reads only the caller’s own contact', async () => {
    env.addUser('usr_corp', 'corporate');
    env.addUser('usr_other', 'corporate');
    const otherContact = OTHER_CONTACT;
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    await linkXeroContact(env.linkDeps, admin, 'usr_other', otherContact);

    await getBillingWithXeroInvoices(env.billingDeps, corporate);

    expect(env.invoices.asked).toEqual([CONTACT]);
  });

  it('leaves Xero out for a corporate account without a contact', async () => {
    env.addUser('usr_corp', 'corporate');

    const billing = await getBillingWithXeroInvoices(env.billingDeps, corporate);

    expect(billing).not.toHaveProperty('xeroInvoices');
    expect(env.invoices.asked).toEqual([]);
  });

  it('leaves Xero out for an individual account, even one linked before', async () => {
    env.addUser('usr_ind', 'individual');
    await env.links.save({ userId: 'usr_ind', contactId: CONTACT, linkedAt: '', linkedBy: 'usr_admin' });

    const billing = await getBillingWithXeroInvoices(env.billingDeps, { userId: 'usr_ind', role: 'tenant' });

    expect(billing).not.toHaveProperty('xeroInvoices');
    expect(env.invoices.asked).toEqual([]);
  });

  it('answers the Stripe part and marks Xero unavailable when Xero cannot be read', async () => {
    env.addUser('usr_corp', 'corporate');
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    env.invoices.failWith = new CorporateInvoicesUnavailableError('rate limited', { reason: 'rate_limited', retryAfterSeconds: 40 });

    const billing = await getBillingWithXeroInvoices(env.billingDeps, corporate);

    expect(billing).toMatchObject({ customerId: null, recentInvoices: [] });
    expect(billing.xeroInvoices).toEqual({ status: 'unavailable', message: expect.any(String), retryAfterSeconds: 40 });
  });

  it('lets an unexpected error through rather than hiding a bug as an outage', async () => {
    env.addUser('usr_corp', 'corporate');
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    env.invoices.failWith = new TypeError('bug');

    await expect(getBillingWithXeroInvoices(env.billingDeps, corporate)).rejects.toBeInstanceOf(TypeError);
  });
});
