/**
 * A local Xero: the parts of the identity service and Accounting API the platform uses, over real
 * HTTP, in Xero's JSON shapes.
 *
 * - `POST /connect/token`: client credentials grant (Basic client_id:client_secret), tokens that
 *   expire like Xero's (30 minutes by default);
 * - `GET /api.xro/2.0/Invoices`: `ContactIDs`, `Statuses`, `order=Date [DESC]` and `page`
 *   (100 per page; without `page`, everything), bearer token required;
 * - `GET /api.xro/2.0/Invoices/{InvoiceID}/OnlineInvoice`, and the online invoice page it links to;
 * - `GET /api.xro/2.0/Contacts/{ContactID}` (404 when unknown) and `GET /api.xro/2.0/Contacts`:
 *   `searchTerm` (any case, in the name, email or contact number), `includeArchived`, `page` and
 *   `pageSize` (100 by default), ordered by name;
 * - faults: the next N requests answer 429 with `Retry-After` (and `X-Rate-Limit-Problem`), or
 *   5xx, or everything fails until cleared; from code or at `/_control/faults`;
 * - contacts and invoices seeded from code or `POST /_control/contacts`; a page at `/` lists them.
 *
 * The control API and the pages need no credentials: the simulator listens on loopback only by default.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { listen } from '../ports';
import { readBody as readBoundedBody, secretMatcher, write, type Reply } from '../simulator-http';

export const XERO_INVOICE_STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'] as const;
export type XeroInvoiceStatus = (typeof XERO_INVOICE_STATUSES)[number];
/** Xero's page size for invoices. */
export const PAGE_SIZE = 100;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const seedInvoiceSchema = z.object({
  /** Generated (`INV-0001`, …) when omitted. */
  invoiceNumber: z.string().min(1).optional(),
  /** Sales invoice (ACCREC, the default) or a bill from the contact (ACCPAY). */
  type: z.enum(['ACCREC', 'ACCPAY']).default('ACCREC'),
  status: z.enum(XERO_INVOICE_STATUSES).default('AUTHORISED'),
  date: isoDate,
  dueDate: isoDate.optional(),
  /** In the currency's major unit, as Xero gives amounts (120.5 = £120.50). */
  total: z.number().nonnegative(),
  /** Defaults to the total for PAID invoices and to 0 otherwise. */
  amountPaid: z.number().nonnegative().optional(),
  currencyCode: z.string().regex(/^[A-Z]{3}$/).default('GBP'),
});
export type SeedInvoice = z.input<typeof seedInvoiceSchema>;

export const seedContactSchema = z.object({
  contactId: z.guid().optional(),
  name: z.string().min(1),
  email: z.email().optional(),
  contactNumber: z.string().min(1).optional(),
  status: z.enum(['ACTIVE', 'ARCHIVED']).default('ACTIVE'),
  invoices: z.array(seedInvoiceSchema).default([]),
});
export type SeedContact = z.input<typeof seedContactSchema>;

const faultsSchema = z.object({
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit: z
    .object({
      count: z.int().min(1),
      retryAfterSeconds: z.int().min(0).default(1),
      problem: z.enum(['minute', 'day', 'concurrent', 'appminute']).default('minute'),
    })
    .optional(),
  /** The next `count` requests answer `status`. */
  fail: z.object({ count: z.int().min(1), status: z.int().min(500).max(599).default(500) }).optional(),
  /** Every request answers `status` until the faults are cleared. */
  down: z.object({ status: z.int().min(500).max(599).default(503) }).optional(),
});
export type XeroFaults = z.input<typeof faultsSchema>;
type FaultState = z.output<typeof faultsSchema>;

/** An invoice as Xero's JSON shows it (the fields the platform reads, and a few beside). */
export interface XeroInvoiceRecord {
  readonly Type: 'ACCREC' | 'ACCPAY';
  readonly InvoiceID: string;
  readonly InvoiceNumber: string;
  readonly Reference: string;
  readonly Contact: { readonly ContactID: string; readonly Name: string };
  readonly Date: string;
  readonly DateString: string;
  readonly DueDate?: string;
  readonly DueDateString?: string;
  readonly Status: XeroInvoiceStatus;
  readonly LineAmountTypes: 'Exclusive';
  readonly SubTotal: number;
  readonly TotalTax: number;
  readonly Total: number;
  readonly AmountDue: number;
  readonly AmountPaid: number;
  readonly AmountCredited: number;
  readonly CurrencyCode: string;
  readonly CurrencyRate: number;
  readonly HasAttachments: boolean;
  readonly UpdatedDateUTC: string;
}

export interface XeroSimulatorCall {
  readonly at: string;
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  readonly status: number;
}

export interface XeroSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The custom connection's credentials the token endpoint accepts. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** @default 1800, as Xero's */
  readonly tokenLifetimeSeconds?: number;
  readonly contacts?: readonly SeedContact[];
  readonly now?: () => Date;
  /** One line per API request, e.g. `GET /api.xro/2.0/Invoices?page=1 200`. */
  readonly log?: (line: string) => void;
}

export interface XeroSimulator {
  /** Base URL of both the identity service and the API. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Adds a contact (and its invoices); returns its ContactID. */
  addContact(contact: SeedContact): string;
  /** Adds invoices to a known contact; returns them as Xero shows them. */
  addInvoices(contactId: string, invoices: readonly SeedInvoice[]): XeroInvoiceRecord[];
  invoices(contactId: string): XeroInvoiceRecord[];
  readonly faults: {
    set(faults: XeroFaults): void;
    /** The next `count` requests answer 429 with `Retry-After`. */
    rateLimit(count: number, retryAfterSeconds?: number, problem?: 'minute' | 'day' | 'concurrent' | 'appminute'): void;
    /** The next `count` requests answer `status` (500 by default). */
    fail(count: number, status?: number): void;
    /** Every request answers `status` (503 by default) until cleared. */
    down(status?: number): void;
    clear(): void;
  };
  /** Invalidates every token issued so far: the next API request with one answers 401. */
  revokeTokens(): void;
  /** How many tokens the token endpoint has issued. */
  tokensIssued(): number;
  /** Requests to the token endpoint and the API, oldest first; the last 1000 kept. */
  calls(): XeroSimulatorCall[];
  clearCalls(): void;
}

const MAX_CALLS_KEPT = 1000;
const MAX_BODY_BYTES = 256 * 1024;
const INVOICES_PATH = '/api.xro/2.0/Invoices';
const CONTACTS_PATH = '/api.xro/2.0/Contacts';

interface ContactRecord {
  readonly contactId: string;
  readonly name: string;
  readonly email?: string;
  readonly contactNumber?: string;
  readonly status: 'ACTIVE' | 'ARCHIVED';
  /** Xero's JSON date. */
  readonly updated: string;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: JSON.stringify(value),
  contentType: 'application/json; charset=utf-8',
});
const html = (body: string): Reply => ({ status: 200, body, contentType: 'text/html; charset=utf-8' });

/** Xero's JSON dates: `/Date(1767139200000+0000)/`. */
const msDate = (ms: number) => `/Date(${ms}+0000)/`;
const dayStart = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`);
const money = (amount: number) => Math.round(amount * 100) / 100;

export async function startXeroSimulator(options: XeroSimulatorOptions): Promise<XeroSimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 1800;
  const matchesCredentials = secretMatcher(`${options.clientId}:${options.clientSecret}`);

  const contacts = new Map<string, ContactRecord>();
  const invoices: XeroInvoiceRecord[] = [];
  /** Online invoice page id → InvoiceID. */
  const onlinePages = new Map<string, string>();
  const tokens = new Map<string, number>();
  let issued = 0;
  let nextNumber = 1;
  let faults: FaultState = {};
  let calls: XeroSimulatorCall[] = [];

  function addContact(input: SeedContact): string {
    const contact = seedContactSchema.parse(input);
    const contactId = (contact.contactId ?? randomUUID()).toLowerCase();
    contacts.set(contactId, {
      contactId,
      name: contact.name,
      status: contact.status,
      ...(contact.email && { email: contact.email }),
      ...(contact.contactNumber && { contactNumber: contact.contactNumber }),
      updated: msDate(now().getTime()),
    });
    addInvoices(contactId, contact.invoices);
    return contactId;
  }

  function addInvoices(contactId: string, inputs: readonly SeedInvoice[]): XeroInvoiceRecord[] {
    const contact = contacts.get(contactId.toLowerCase());
    if (!contact) throw new Error(`Unknown Xero contact ${contactId}`);
    const updated = msDate(now().getTime());
    const added = inputs.map((input) => {
      const invoice = seedInvoiceSchema.parse(input);
      const total = money(invoice.total);
      const paid = money(invoice.amountPaid ?? (invoice.status === 'PAID' ? total : 0));
      const record: XeroInvoiceRecord = {
        Type: invoice.type,
        InvoiceID: randomUUID(),
        InvoiceNumber: invoice.invoiceNumber ?? `INV-${String(nextNumber++).padStart(4, '0')}`,
        Reference: '',
        Contact: { ContactID: contact.contactId, Name: contact.name },
        Date: msDate(dayStart(invoice.date)),
        DateString: `${invoice.date}T00:00:00`,
        ...(invoice.dueDate && { DueDate: msDate(dayStart(invoice.dueDate)), DueDateString: `${invoice.dueDate}T00:00:00` }),
        Status: invoice.status,
        LineAmountTypes: 'Exclusive',
        // VAT at 20% is included in the total, as UK invoices usually are.
        SubTotal: money(total / 1.2),
        TotalTax: money(total - total / 1.2),
        Total: total,
        AmountDue: money(total - paid),
        AmountPaid: paid,
        AmountCredited: 0,
        CurrencyCode: invoice.currencyCode,
        CurrencyRate: 1,
        HasAttachments: false,
        UpdatedDateUTC: updated,
      };
      invoices.push(record);
      return record;
    });
    return added;
  }

  for (const contact of options.contacts ?? []) addContact(contact);

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    route(request, url)
      .then((reply) => {
        if (isVendorPath(url.pathname)) {
          calls.push({ at: now().toISOString(), method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, status: reply.status });
          if (calls.length > MAX_CALLS_KEPT) calls = calls.slice(-MAX_CALLS_KEPT);
          options.log?.(`${request.method} ${url.pathname}${url.search} ${reply.status}`);
        }
        write(response, reply);
      })
      .catch((error: unknown) => write(response, json(500, { Title: 'Internal error', Detail: String(error) })));
  });

  async function route(request: http.IncomingMessage, url: URL): Promise<Reply> {
    const method = request.method ?? 'GET';
    if (isVendorPath(url.pathname)) {
      const fault = takeFault();
      if (fault) return fault;
      if (method === 'POST' && url.pathname === '/connect/token') return issueToken(request);
      if (!authorised(request.headers.authorization)) return unauthorized();
      if (method === 'GET' && url.pathname === INVOICES_PATH) return listInvoices(url.searchParams);
      const online = /^\/api\.xro\/2\.0\/Invoices\/([^/]+)\/OnlineInvoice$/.exec(url.pathname);
      if (method === 'GET' && online) return onlineInvoice(decodeURIComponent(online[1]!));
      if (method === 'GET' && url.pathname === CONTACTS_PATH) return listContacts(url.searchParams);
      const contact = /^\/api\.xro\/2\.0\/Contacts\/([^/]+)$/.exec(url.pathname);
      if (method === 'GET' && contact) return getContact(decodeURIComponent(contact[1]!));
      return json(404, { Title: 'Not Found', Status: 404, Detail: `No resource at ${url.pathname}` });
    }
    return control(request, url);
  }

  /** Counted faults are used up one per request; `down` lasts until cleared. */
  function takeFault(): Reply | undefined {
    if (faults.down) return json(faults.down.status, { Title: 'Service Unavailable', Status: faults.down.status });
    if (faults.rateLimit) {
      const { retryAfterSeconds, problem } = faults.rateLimit;
      faults.rateLimit = faults.rateLimit.count > 1 ? { ...faults.rateLimit, count: faults.rateLimit.count - 1 } : undefined;
      return json(
        429,
        { Title: 'Too Many Requests', Status: 429, Detail: `Rate limit exceeded (${problem})` },
        { 'retry-after': String(retryAfterSeconds), 'x-rate-limit-problem': problem },
      );
    }
    if (faults.fail) {
      const { status } = faults.fail;
      faults.fail = faults.fail.count > 1 ? { ...faults.fail, count: faults.fail.count - 1 } : undefined;
      return json(status, { Title: 'Simulated failure', Status: status });
    }
    return undefined;
  }

  async function issueToken(request: http.IncomingMessage): Promise<Reply> {
    const text = await readBoundedBody(request, MAX_BODY_BYTES);
    if (text === 'too-large') return json(413, { error: 'payload_too_large' });
    const body = new URLSearchParams(text);
    const header = request.headers.authorization ?? '';
    const basic = /^Basic (.+)$/i.exec(header)?.[1];
    const presented = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    if (!matchesCredentials(presented)) return json(400, { error: 'invalid_client' });
    if (body.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, now().getTime() + lifetimeSeconds * 1000);
    issued++;
    return json(200, {
      access_token: accessToken,
      expires_in: lifetimeSeconds,
      token_type: 'Bearer',
      scope: 'accounting.transactions.read accounting.contacts.read',
    });
  }

  function authorised(header: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    return expiresAt !== undefined && expiresAt > now().getTime();
  }

  /** What Xero wraps every API answer in. */
  const envelope = () => ({ Id: randomUUID(), Status: 'OK', ProviderName: 'Carpark Tenancy', DateTimeUTC: msDate(now().getTime()) });

  function listInvoices(query: URLSearchParams): Reply {
    const list = (name: string) =>
      (query.get(name) ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean);
    const contactIds = new Set(list('ContactIDs').map((id) => id.toLowerCase()));
    const statuses = new Set(list('Statuses'));
    const pageText = query.get('page');
    const page = pageText === null ? undefined : Number(pageText);
    if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
      return json(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'page must be a whole number from 1' });
    }
    const descending = /\bDESC\b/i.test(query.get('order') ?? '');

    const matching = invoices
      .filter((invoice) => contactIds.size === 0 || contactIds.has(invoice.Contact.ContactID))
      .filter((invoice) => (statuses.size === 0 ? invoice.Status !== 'DELETED' : statuses.has(invoice.Status)))
      .sort((a, b) => a.DateString.localeCompare(b.DateString) || a.InvoiceNumber.localeCompare(b.InvoiceNumber));
    if (descending) matching.reverse();
    const served = page === undefined ? matching : matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return json(200, {
      ...envelope(),
      ...(page !== undefined && {
        pagination: { page, pageSize: PAGE_SIZE, pageCount: Math.ceil(matching.length / PAGE_SIZE), itemCount: matching.length },
      }),
      Invoices: served,
    });
  }

  function contactView(contact: ContactRecord) {
    return {
      ContactID: contact.contactId,
      ContactStatus: contact.status,
      Name: contact.name,
      ...(contact.email && { EmailAddress: contact.email }),
      ...(contact.contactNumber && { ContactNumber: contact.contactNumber }),
      UpdatedDateUTC: contact.updated,
      IsSupplier: false,
      IsCustomer: invoices.some((i) => i.Contact.ContactID === contact.contactId && i.Type === 'ACCREC'),
    };
  }

  function getContact(contactId: string): Reply {
    const contact = contacts.get(contactId.toLowerCase());
    if (!contact) return json(404, { Title: 'Not Found', Status: 404, Detail: 'The resource you\'re looking for cannot be found' });
    return json(200, { ...envelope(), Contacts: [contactView(contact)] });
  }

  function listContacts(query: URLSearchParams): Reply {
    const wholeNumber = (name: string, max: number) => {
      const text = query.get(name);
      const value = text === null ? undefined : Number(text);
      return value === undefined || (Number.isInteger(value) && value >= 1 && value <= max) ? value : null;
    };
    const page = wholeNumber('page', 1_000_000);
    const pageSize = wholeNumber('pageSize', 1000);
    if (page === null || pageSize === null) {
      return json(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'page and pageSize must be whole numbers from 1' });
    }
    const term = (query.get('searchTerm') ?? '').trim().toLowerCase();
    const includeArchived = query.get('includeArchived') === 'true';
    const matching = [...contacts.values()]
      .filter((c) => includeArchived || c.status === 'ACTIVE')
      .filter((c) => !term || [c.name, c.email ?? '', c.contactNumber ?? ''].some((field) => field.toLowerCase().includes(term)))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (/\bDESC\b/i.test(query.get('order') ?? '')) matching.reverse();
    const size = pageSize ?? PAGE_SIZE;
    const served = page === undefined ? matching : matching.slice((page - 1) * size, page * size);
    return json(200, {
      ...envelope(),
      ...(page !== undefined && {
        pagination: { page, pageSize: size, pageCount: Math.ceil(matching.length / size), itemCount: matching.length },
      }),
      Contacts: served.map(contactView),
    });
  }

  function onlineInvoice(invoiceId: string): Reply {
    const invoice = invoices.find((i) => i.InvoiceID === invoiceId.toLowerCase());
    if (!invoice) return json(404, { Title: 'Not Found', Status: 404, Detail: `Invoice ${invoiceId} not found` });
    if (invoice.Type !== 'ACCREC' || !['AUTHORISED', 'PAID'].includes(invoice.Status)) {
      return json(400, {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: [{ ValidationErrors: [{ Message: 'Online invoices are available for approved sales invoices only' }] }],
      });
    }
    let pageId = [...onlinePages].find(([, id]) => id === invoice.InvoiceID)?.[0];
    if (!pageId) {
      pageId = randomBytes(20).toString('base64url');
      onlinePages.set(pageId, invoice.InvoiceID);
    }
    return json(200, { OnlineInvoices: [{ OnlineInvoiceUrl: `${baseUrl}/in/${pageId}` }] });
  }

  async function control(request: http.IncomingMessage, url: URL): Promise<Reply> {
    const method = request.method ?? 'GET';
    const online = /^\/in\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (method === 'GET' && online) {
      const invoice = invoices.find((i) => i.InvoiceID === onlinePages.get(online[1]!));
      return invoice ? html(renderOnlineInvoice(invoice)) : json(404, { error: 'not_found' });
    }
    switch (`${method} ${url.pathname}`) {
      case 'GET /':
        return html(renderOverview([...contacts.values()], invoices, faults));
      case 'GET /_control/faults':
        return json(200, { faults });
      case 'POST /_control/faults': {
        const parsed = faultsSchema.safeParse(parseBody(await readBoundedBody(request, MAX_BODY_BYTES)));
        if (!parsed.success) return json(400, { error: 'invalid_faults', issues: z.flattenError(parsed.error) });
        faults = parsed.data;
        return json(200, { faults });
      }
      case 'DELETE /_control/faults':
        faults = {};
        return json(200, { faults });
      case 'POST /_control/contacts': {
        const parsed = seedContactSchema.safeParse(parseBody(await readBoundedBody(request, MAX_BODY_BYTES)));
        if (!parsed.success) return json(400, { error: 'invalid_contact', issues: z.flattenError(parsed.error) });
        const contactId = addContact(parsed.data);
        return json(201, { contactId, invoices: invoices.filter((i) => i.Contact.ContactID === contactId) });
      }
      default:
        return json(404, { error: 'not_found' });
    }
  }

  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: baseUrl,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
    addContact,
    addInvoices,
    invoices: (contactId) => invoices.filter((i) => i.Contact.ContactID === contactId.toLowerCase()),
    faults: {
      set: (settings) => {
        faults = faultsSchema.parse(settings);
      },
      rateLimit: (count, retryAfterSeconds = 1, problem = 'minute') => {
        faults = { ...faults, rateLimit: { count, retryAfterSeconds, problem } };
      },
      fail: (count, status = 500) => {
        faults = { ...faults, fail: { count, status } };
      },
      down: (status = 503) => {
        faults = { ...faults, down: { status } };
      },
      clear: () => {
        faults = {};
      },
    },
    revokeTokens: () => tokens.clear(),
    tokensIssued: () => issued,
    calls: () => calls.map((call) => ({ ...call })),
    clearCalls: () => {
      calls = [];
    },
  };
}

const isVendorPath = (pathname: string) => pathname === '/connect/token' || pathname.startsWith('/api.xro/');

const unauthorized = () =>
  json(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful', Instance: randomUUID() });

function parseBody(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}


const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const amount = (value: number, currency: string) => `${currency} ${value.toFixed(2)}`;

function renderOverview(
  contacts: readonly ContactRecord[],
  invoices: readonly XeroInvoiceRecord[],
  faults: FaultState,
): string {
  const sections = contacts.map((contact) => {
    const rows = invoices
      .filter((i) => i.Contact.ContactID === contact.contactId)
      .map(
        (i) =>
          `<tr><td>${escape(i.InvoiceNumber)}</td><td>${i.Type}</td><td>${i.DateString.slice(0, 10)}</td>` +
          `<td>${i.DueDateString?.slice(0, 10) ?? ''}</td><td>${i.Status}</td><td>${amount(i.Total, i.CurrencyCode)}</td>` +
          `<td>${amount(i.AmountDue, i.CurrencyCode)}</td></tr>`,
      )
      .join('');
    return (
      `<h2>${escape(contact.name)}${contact.status === 'ARCHIVED' ? ' (archived)' : ''}</h2><p><code>${contact.contactId}</code>` +
      `${contact.email ? ` · ${escape(contact.email)}` : ''}</p>` +
      `<table><tr><th>Number</th><th>Type</th><th>Date</th><th>Due</th><th>Status</th><th>Total</th><th>Due now</th></tr>${rows}</table>`
    );
  });
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero simulator</title>' +
    '<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.2rem .8rem;text-align:left}</style></head><body>' +
    `<h1>Xero simulator</h1><p>Faults: <code>${escape(JSON.stringify(faults))}</code></p>${sections.join('') || '<p>No contacts yet.</p>'}` +
    '</body></html>'
  );
}

function renderOnlineInvoice(invoice: XeroInvoiceRecord): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invoice ${escape(invoice.InvoiceNumber)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>Invoice ${escape(invoice.InvoiceNumber)}</h1>` +
    `<p>To ${escape(invoice.Contact.Name)}, dated ${invoice.DateString.slice(0, 10)}</p>` +
    `<p>Total ${amount(invoice.Total, invoice.CurrencyCode)}; ${invoice.AmountDue > 0 ? `${amount(invoice.AmountDue, invoice.CurrencyCode)} to pay` : 'paid'}</p>` +
    '</body></html>'
  );
}
