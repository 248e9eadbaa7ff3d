/**
 * Corporate billing: companies (users with a `corporate` account) are invoiced in Xero, and see
 * those invoices beside their Stripe billing. An admin links a corporate user to the Xero contact
 * their company is invoiced as; GET /billing then lists that contact's invoices.
 *
 * Xero is a second system with its own rate limits and outages, so it never decides whether
 * GET /billing answers: when it cannot be read, the Stripe part is still given and the Xero part
 * says it is unavailable.
 */
import { getBillingOverview, type BillingDeps, type BillingOverview } from './billing';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { isAdmin, type AccountType, type Principal } from './identity';
import type { UserRepository } from './ports';

export const CORPORATE_INVOICE_STATUSES = ['awaiting_payment', 'paid'] as const;
export type CorporateInvoiceStatus = (typeof CORPORATE_INVOICE_STATUSES)[number];

/** A sales invoice the company received, as the portal shows it. */
export interface CorporateInvoice {
  readonly invoiceNumber: string;
  /** Issue date, `YYYY-MM-DD`: accounting invoices carry dates, not instants. */
  readonly issuedOn: string;
  readonly dueOn: string | null;
  /** Integer minor units (pence, cents), like every amount in the API. */
  readonly total: number;
  readonly amountDue: number;
  /** ISO 4217 code in lower case, as Stripe's amounts are given. */
  readonly currency: string;
  readonly status: CorporateInvoiceStatus;
  /** Where the company can view (and pay) the invoice online, when known. */
  readonly onlineUrl: string | null;
}

/** The accounting system corporate customers are invoiced in (Xero). */
export interface CorporateInvoiceSource {
  /**
   * The contact's issued sales invoices, newest first. Fails with
   * CorporateInvoicesUnavailableError when the source cannot be read just now.
   */
  listInvoices(contactId: string): Promise<CorporateInvoice[]>;
}

export type InvoicesUnavailableReason = 'rate_limited' | 'server_error' | 'timeout' | 'network' | 'invalid_response' | 'credentials';

/** The invoice source could not answer (rate limit, outage, timeout, rejected credentials). */
export class CorporateInvoicesUnavailableError extends Error {
  override readonly name: string = 'CorporateInvoicesUnavailable';
  readonly reason: InvoicesUnavailableReason;
  /** How long the source asked us to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: { reason: InvoicesUnavailableReason; retryAfterSeconds?: number; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.reason = details.reason;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** A customer in the accounting system, as an admin picks one to link. */
export interface CorporateContact {
  /** Xero's ContactID (a GUID, lower case). */
  readonly contactId: string;
  readonly name: string;
  readonly email: string | null;
  /** Archived contacts are no longer invoiced. */
  readonly archived: boolean;
}

/** Contacts of the accounting system (Xero), read live: they are created and archived there. */
export interface CorporateContactDirectory {
  /**
   * The contact with this id, or undefined when there is none. Fails with
   * CorporateInvoicesUnavailableError when the directory cannot be read just now.
   */
  findContact(contactId: string): Promise<CorporateContact | undefined>;
  /**
   * Active contacts whose name, email or number contains `term` (any case; every contact when
   * empty), by name, `pageSize` to a page, pages counted from 1. `hasMore` when the page is full.
   */
  searchContacts(term: string, page: number, pageSize: number): Promise<{ contacts: CorporateContact[]; hasMore: boolean }>;
}

export interface XeroContactLink {
  readonly userId: string;
  /** Xero's ContactID (a GUID, lower case). */
  readonly contactId: string;
  /** The contact's name in Xero when the link was made. */
  readonly contactName?: string;
  readonly linkedAt: string;
  /** The admin who made the link. */
  readonly linkedBy: string;
}

/** What GET /billing needs to know about the caller's account, read together. */
export interface CorporateBillingProfile {
  readonly accountType: AccountType;
  readonly xeroContactId?: string;
}

export interface XeroContactLinks {
  /** The user's account type and linked contact; undefined when the user does not exist. */
  profile(userId: string): Promise<CorporateBillingProfile | undefined>;
  /** Replaces any earlier link of the user. */
  save(link: XeroContactLink): Promise<void>;
}

// --- linking -------------------------------------------------------------------------------------

export interface XeroLinkDeps {
  readonly users: Pick<UserRepository, 'get'>;
  readonly links: Pick<XeroContactLinks, 'save'>;
  readonly contacts: Pick<CorporateContactDirectory, 'findContact'>;
  readonly clock: Clock;
}

/**
 * Admins only. Many users may share a contact (colleagues at one company); a user has one
 * contact, and linking again moves them to the new one. The contact must exist in Xero and be
 * active: a mistyped id would leave the company with no invoices shown and no error anywhere.
 */
export async function linkXeroContact(
  deps: XeroLinkDeps,
  caller: Principal,
  userId: string,
  contactId: string,
): Promise<XeroContactLink> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can link a user to a Xero contact.');
  const user = await deps.users.get(userId);
  if (!user) throw new NotFoundError('User');
  if (user.accountType !== 'corporate') {
    throw new ConflictError('not_corporate_account', 'Only corporate accounts are invoiced in Xero; this user has an individual account.');
  }
  const contact = await deps.contacts.findContact(contactId.toLowerCase());
  if (!contact) {
    throw new ValidationError('That Xero contact does not exist.', [{ path: 'contactId', message: 'Xero has no contact with this id.' }]);
  }
  if (contact.archived) {
    throw new ValidationError('That Xero contact is archived.', [
      { path: 'contactId', message: `${contact.name} is archived in Xero; restore it there or choose another contact.` },
    ]);
  }
  const link: XeroContactLink = {
    userId,
    contactId: contact.contactId,
    contactName: contact.name,
    linkedAt: deps.clock.now().toISOString(),
    linkedBy: caller.userId,
  };
  await deps.links.save(link);
  return link;
}

export const XERO_CONTACTS_PAGE_SIZE = 20;

export interface XeroContactSearch {
  /** Part of the name, email or contact number; every contact when absent. */
  readonly search?: string;
  /** The page to read, as `nextCursor` gave it. */
  readonly cursor?: string;
}

/** Admins only: the active Xero contacts an admin can link a corporate user to, a page at a time. */
export async function searchXeroContacts(
  deps: { readonly contacts: Pick<CorporateContactDirectory, 'searchContacts'> },
  caller: Principal,
  query: XeroContactSearch,
): Promise<{ items: CorporateContact[]; nextCursor?: string }> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can look up Xero contacts.');
  // Xero pages by number; the cursor is that number, so it is opaque to callers all the same.
  const page = query.cursor ? Number(query.cursor) : 1;
  const { contacts, hasMore } = await deps.contacts.searchContacts(query.search ?? '', page, XERO_CONTACTS_PAGE_SIZE);
  return { items: contacts, ...(hasMore && { nextCursor: String(page + 1) }) };
}

// --- reading -------------------------------------------------------------------------------------

export type XeroInvoicesView =
  | { readonly status: 'available'; readonly items: CorporateInvoice[] }
  | { readonly status: 'unavailable'; readonly message: string; readonly retryAfterSeconds?: number };

export interface CorporateBillingDeps {
  readonly links: Pick<XeroContactLinks, 'profile'>;
  readonly invoices: CorporateInvoiceSource;
}

const UNAVAILABLE_MESSAGE = 'Your Xero invoices cannot be shown just now. Try again in a few minutes.';

/**
 * The caller's own Xero invoices: undefined unless they have a corporate account linked to a
 * contact, and `unavailable` (never an error) when Xero cannot be read.
 */
export async function xeroInvoicesOf(deps: CorporateBillingDeps, caller: Principal): Promise<XeroInvoicesView | undefined> {
  const profile = await deps.links.profile(caller.userId);
  if (profile?.accountType !== 'corporate' || !profile.xeroContactId) return undefined;
  try {
    return { status: 'available', items: await deps.invoices.listInvoices(profile.xeroContactId) };
  } catch (error) {
    if (!(error instanceof CorporateInvoicesUnavailableError)) throw error;
    return {
      status: 'unavailable',
      message: UNAVAILABLE_MESSAGE,
      ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
}

export type BillingWithXero = BillingOverview & { readonly xeroInvoices?: XeroInvoicesView };

/** GET /billing: the Stripe overview and, for linked corporate accounts, their Xero invoices. */
export async function getBillingWithXeroInvoices(deps: BillingDeps & CorporateBillingDeps, caller: Principal): Promise<BillingWithXero> {
  const [overview, xeroInvoices] = await Promise.all([getBillingOverview(deps, caller), xeroInvoicesOf(deps, caller)]);
  return xeroInvoices ? { ...overview, xeroInvoices } : overview;
}
