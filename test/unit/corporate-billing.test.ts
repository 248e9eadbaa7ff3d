import { beforeEach, describe, expect, it } from 'vitest';
import type { BillingDeps } from '../../functions/domain/billing';
import {
  CorporateInvoicesUnavailableError,
  getBillingWithXeroInvoices,
  linkXeroContact,
  type CorporateInvoice,
  type CorporateInvoiceSource,
  type XeroContactLink,
  type XeroContactLinks,
} from '../../functions/domain/corporate-billing';
import { ConflictError, ForbiddenError, NotFoundError } from '../../functions/domain/errors';
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
  const addUser = (userId: string, accountType: AccountType) =>
    users.all.set(userId, { userId, accountType, role: 'tenant', email: `${userId}@example.com`, name: userId } as User);
  return {
    clock,
    users,
    links,
    invoices,
    addUser,
    linkDeps: { users, links, clock },
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

    expect(link).toEqual({ userId: 'usr_corp', contactId: CONTACT, linkedAt: '2026-11-24T09:00:00.000Z', linkedBy: 'usr_admin' });
    expect(env.links.saved).toEqual([link]);
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
    const other = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
    env.invoices.byContact.set(other, [invoice({ invoiceNumber: 'INV-0099' })]);

    await linkXeroContact(env.linkDeps, admin, 'usr_corp', CONTACT);
    await linkXeroContact(env.linkDeps, admin, 'usr_corp', other);
    const billing = await getBillingWithXeroInvoices(env.billingDeps, { userId: 'usr_corp', role: 'tenant' });

    expect(env.invoices.asked).toEqual([other]);
    expect(billing.xeroInvoices).toEqual({ status: 'available', items: [invoice({ invoiceNumber: 'INV-0099' })] });
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
    const otherContact = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
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
