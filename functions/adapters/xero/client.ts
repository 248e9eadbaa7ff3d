/**
 * Xero's Accounting API as the domain's CorporateInvoiceSource, through a Xero custom connection:
 * one organisation, OAuth2 client credentials, no `xero-tenant-id` header needed.
 *
 * - Token: `POST {identity}/connect/token` with Basic `client_id:client_secret` and
 *   `grant_type=client_credentials`. Xero's tokens last 30 minutes; one is kept per container
 *   and renewed a minute before it expires, or at once if Xero answers 401.
 * - Invoices: `GET {api}/api.xro/2.0/Invoices?ContactIDs=…&Statuses=AUTHORISED,PAID&page=N`,
 *   newest first. Xero pages 100 at a time; a page with fewer is the last.
 * - Online invoice URL: not in the invoice itself, and `GET …/Invoices/{id}/OnlineInvoice` costs
 *   one call per invoice against Xero's limit of 60 calls a minute per organisation. So it is
 *   fetched only for invoices still to be paid, a few per request, and remembered per container.
 * - Contacts: `GET {api}/api.xro/2.0/Contacts/{id}` (404 when there is none) and
 *   `GET {api}/api.xro/2.0/Contacts?searchTerm=…&page=N&pageSize=…&summaryOnly=true`, which
 *   searches name, first and last name, contact number and email, and leaves archived ones out.
 * - 429: Xero says how long to wait (`Retry-After`). A short wait is honoured, for a bounded
 *   number of tries; a long one (the daily limit) gives up at once. 5xx, timeouts and network
 *   failures are retried with jittered backoff. All of it fits in one time budget, well inside
 *   the API function's timeout; then the call fails with a typed unavailable error.
 */
import * as z from 'zod/mini';
import '../../zod-messages';
import {
  CorporateInvoicesUnavailableError,
  type CorporateContact,
  type CorporateContactDirectory,
  type CorporateInvoice,
  type CorporateInvoiceSource,
  type CorporateInvoiceStatus,
  type InvoicesUnavailableReason,
} from '../../domain/corporate-billing';
import { ENV, requireEnv } from '../../environment';
import { describeError, fetchAnswer, isTimeout, parseJson, parseRetryAfter, type Answer } from '../http';
import { getSecretString } from '../secrets';

export const XERO_API_URL = 'https://api.xero.com';
export const XERO_IDENTITY_URL = 'https://identity.xero.com';
/** Xero's fixed page size for invoices when `page` is given. */
const XERO_PAGE_SIZE = 100;
/** Issued invoices only: drafts and invoices awaiting approval are internal, voided ones void. */
const LISTED_STATUSES: Record<string, CorporateInvoiceStatus> = { AUTHORISED: 'awaiting_payment', PAID: 'paid' };

const xeroCredentialsSchema = z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) });
export type XeroCredentials = z.infer<typeof xeroCredentialsSchema>;

/** Xero could not answer in time: rate limited, failing, unreachable, or answering nonsense. */
export class XeroUnavailableError extends CorporateInvoicesUnavailableError {
  override readonly name: string = 'XeroUnavailable';
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;

  constructor(
    message: string,
    details: { reason: Exclude<InvoicesUnavailableReason, 'credentials'>; status?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, details);
    this.status = details.status;
  }
}

/** The client credentials were refused or cannot be read: nothing works until an operator fixes them. */
export class XeroCredentialsError extends CorporateInvoicesUnavailableError {
  override readonly name: string = 'XeroCredentialsRejected';

  constructor(message: string, cause?: unknown) {
    super(message, { reason: 'credentials', cause });
  }
}

export interface XeroClientOptions {
  /** @default https://api.xero.com */
  readonly apiBaseUrl?: string;
  /** @default https://identity.xero.com */
  readonly identityBaseUrl?: string;
  /** Called when a token is needed, so a rotated secret is picked up. */
  readonly credentials: () => Promise<XeroCredentials>;
  readonly fetch?: typeof fetch;
  /** Waits between tries; tests pass one that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, for token expiry and the time budget. */
  readonly now?: () => number;
  /** For backoff jitter, in [0, 1). */
  readonly random?: () => number;
  /** @default 3000 per HTTP request, body included */
  readonly timeoutMs?: number;
  /** Tries per HTTP request. @default 3 */
  readonly maxAttempts?: number;
  /** The longest `Retry-After` worth waiting for; a longer one fails at once. @default 3000 */
  readonly maxRetryAfterMs?: number;
  /** Everything one `listInvoices` may take, waits included. @default 6000 */
  readonly budgetMs?: number;
  /** Pages read at most (newest first). @default 10, i.e. the newest 1,000 invoices */
  readonly maxPages?: number;
  /** Online invoice URLs fetched at most per `listInvoices`. @default 5 */
  readonly onlineUrlLimit?: number;
}

export type XeroClient = CorporateInvoiceSource & CorporateContactDirectory;

/** Renew the token this long before Xero's expiry, so a request never carries a dying one. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;
const BACKOFF = { baseMs: 200, maxMs: 1000 };
const ONLINE_URL_CACHE_SIZE = 1000;

const tokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.number().check(z.positive()),
  token_type: z.optional(z.string()),
});

const invoiceSchema = z.object({
  InvoiceID: z.string(),
  InvoiceNumber: z.optional(z.string()),
  Type: z.string(),
  Status: z.string(),
  Contact: z.optional(z.object({ ContactID: z.string() })),
  /** `/Date(1767139200000+0000)/`, Microsoft's JSON date; `DateString` is the readable twin. */
  Date: z.optional(z.string()),
  DateString: z.optional(z.string()),
  DueDate: z.optional(z.string()),
  DueDateString: z.optional(z.string()),
  Total: z.number(),
  AmountDue: z.number(),
  CurrencyCode: z.string(),
});
type XeroInvoice = z.infer<typeof invoiceSchema>;

const contactSchema = z.object({
  ContactID: z.string(),
  Name: z.string(),
  EmailAddress: z.optional(z.string()),
  /** ACTIVE, ARCHIVED or GDPRREQUEST. */
  ContactStatus: z.optional(z.string()),
});
const contactsSchema = z.object({ Contacts: z.array(contactSchema) });

const invoicesPageSchema = z.object({ Invoices: z.array(invoiceSchema) });
const onlineInvoiceSchema = z.object({ OnlineInvoices: z.array(z.object({ OnlineInvoiceUrl: z.string().check(z.minLength(1)) })).check(z.minLength(1)) });
const oauthErrorSchema = z.object({ error: z.string() });

interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** For messages: `token`, `invoices page 2`. */
  readonly what: string;
}

export function createXeroClient(options: XeroClientOptions): XeroClient {
  const apiBaseUrl = (options.apiBaseUrl ?? XERO_API_URL).replace(/\/+$/, '');
  const identityBaseUrl = (options.identityBaseUrl ?? XERO_IDENTITY_URL).replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxAttempts = options.maxAttempts ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 3000;
  const budgetMs = options.budgetMs ?? 6000;
  const maxPages = options.maxPages ?? 10;
  const onlineUrlLimit = options.onlineUrlLimit ?? 5;

  let token: { value: string; expiresAt: number } | undefined;
  let tokenRequest: Promise<string> | undefined;
  /** InvoiceID → online URL; Xero's URL for an invoice does not change. */
  const onlineUrls = new Map<string, string>();

  const once = (spec: RequestSpec, timeout: number): Promise<Answer> =>
    fetchAnswer(fetchImpl, spec.url, { method: spec.method, headers: spec.headers, ...(spec.body !== undefined && { body: spec.body }) }, timeout);

  /** Waits `ms` unless that would overrun the deadline, in which case `instead` is thrown. */
  async function pause(ms: number, deadline: number, instead: Error): Promise<void> {
    if (now() + ms >= deadline) throw instead;
    await sleep(ms);
  }

  const backoff = (attempt: number) => Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);

  /** One HTTP exchange with retries on 429, 5xx and transport failures; other answers are returned. */
  async function send(spec: RequestSpec, deadline: number): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0) throw new XeroUnavailableError(`Xero ${spec.what}: out of time.`, { reason: 'timeout' });
      let answer: Answer;
      try {
        answer = await once(spec, Math.min(timeoutMs, remaining));
      } catch (error) {
        const failure = transportFailure(spec, Math.min(timeoutMs, remaining), error);
        if (attempt >= maxAttempts) throw failure;
        await pause(backoff(attempt), deadline, failure);
        continue;
      }
      if (answer.status !== 429 && answer.status !== 408 && answer.status < 500) return answer;

      const retryAfterSeconds = parseRetryAfter(answer.headers.get('retry-after'), new Date(now()));
      const failure = statusFailure(spec, answer, retryAfterSeconds);
      if (attempt >= maxAttempts) throw failure;
      if (answer.status === 429) {
        // Xero counts a call made before Retry-After against the limit again: wait it out or give up.
        const waitMs = retryAfterSeconds === undefined ? backoff(attempt) : retryAfterSeconds * 1000;
        if (waitMs > maxRetryAfterMs) throw failure;
        await pause(waitMs, deadline, failure);
      } else {
        await pause(Math.max(backoff(attempt), (retryAfterSeconds ?? 0) * 1000), deadline, failure);
      }
    }
  }

  async function requestToken(deadline: number): Promise<string> {
    let credentials: XeroCredentials;
    try {
      credentials = xeroCredentialsSchema.parse(await options.credentials());
    } catch (error) {
      throw new XeroCredentialsError('The Xero client credentials could not be read.', error);
    }
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
    const answer = await send(
      {
        method: 'POST',
        url: `${identityBaseUrl}/connect/token`,
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
        what: 'token',
      },
      deadline,
    );
    if (answer.status === 400 || answer.status === 401) {
      const code = parseJson(answer.text, oauthErrorSchema)?.error ?? `http_${answer.status}`;
      throw new XeroCredentialsError(`Xero refused the client credentials (${code}).`);
    }
    if (answer.status !== 200) throw unexpectedStatus({ what: 'token' }, answer);
    const body = parseJson(answer.text, tokenSchema);
    if (!body) throw invalidResponse({ what: 'token' }, answer);
    token = { value: body.access_token, expiresAt: now() + body.expires_in * 1000 };
    return body.access_token;
  }

  /** The cached token, or a new one; concurrent callers share one token request. */
  async function accessToken(deadline: number): Promise<string> {
    if (token && now() < token.expiresAt - TOKEN_REFRESH_MARGIN_MS) return token.value;
    tokenRequest ??= requestToken(deadline).finally(() => {
      tokenRequest = undefined;
    });
    return tokenRequest;
  }

  async function apiGet(path: string, what: string, deadline: number): Promise<Answer> {
    const call = async () =>
      send(
        {
          method: 'GET',
          url: `${apiBaseUrl}${path}`,
          headers: { authorization: `Bearer ${await accessToken(deadline)}`, accept: 'application/json' },
          what,
        },
        deadline,
      );
    let answer = await call();
    if (answer.status === 401) {
      // Revoked or expired early: one more try with a new token.
      token = undefined;
      answer = await call();
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new XeroCredentialsError(`Xero refused the connection's token for ${what} (${answer.status}).`);
    }
    return answer;
  }

  async function fetchInvoices(contactId: string, deadline: number): Promise<XeroInvoice[]> {
    const invoices: XeroInvoice[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const query = new URLSearchParams({
        ContactIDs: contactId,
        Statuses: Object.keys(LISTED_STATUSES).join(','),
        order: 'Date DESC',
        page: String(page),
      });
      const what = `invoices page ${page}`;
      const answer = await apiGet(`/api.xro/2.0/Invoices?${query.toString()}`, what, deadline);
      if (answer.status !== 200) throw unexpectedStatus({ what }, answer);
      const body = parseJson(answer.text, invoicesPageSchema);
      if (!body) throw invalidResponse({ what }, answer);
      invoices.push(...body.Invoices);
      if (body.Invoices.length < XERO_PAGE_SIZE) break;
    }
    return invoices;
  }

  async function onlineUrl(invoiceId: string, deadline: number): Promise<string | null> {
    const what = `online invoice ${invoiceId}`;
    const answer = await apiGet(`/api.xro/2.0/Invoices/${encodeURIComponent(invoiceId)}/OnlineInvoice`, what, deadline);
    // Xero refuses an online invoice for some invoices (e.g. no longer sent); the list still stands.
    if (answer.status === 400 || answer.status === 404) return null;
    if (answer.status !== 200) throw unexpectedStatus({ what }, answer);
    const body = parseJson(answer.text, onlineInvoiceSchema);
    if (!body) throw invalidResponse({ what }, answer);
    return body.OnlineInvoices[0]!.OnlineInvoiceUrl;
  }

  function remember(invoiceId: string, url: string): void {
    onlineUrls.set(invoiceId, url);
    if (onlineUrls.size > ONLINE_URL_CACHE_SIZE) onlineUrls.delete(onlineUrls.keys().next().value!);
  }

  async function readContacts(path: string, what: string, options: { notFound?: boolean } = {}) {
    const answer = await apiGet(path, what, now() + budgetMs);
    if (options.notFound && answer.status === 404) return [];
    if (answer.status !== 200) throw unexpectedStatus({ what }, answer);
    const body = parseJson(answer.text, contactsSchema);
    if (!body) throw invalidResponse({ what }, answer);
    return body.Contacts.map(toCorporateContact);
  }

  return {
    async findContact(contactId) {
      const wanted = contactId.toLowerCase();
      const found = await readContacts(`/api.xro/2.0/Contacts/${encodeURIComponent(wanted)}`, `contact ${wanted}`, { notFound: true });
      return found.find((contact) => contact.contactId === wanted);
    },

    async searchContacts(term, page, pageSize) {
      const query = new URLSearchParams({
        ...(term.trim() && { searchTerm: term.trim() }),
        page: String(page),
        pageSize: String(pageSize),
        summaryOnly: 'true',
        order: 'Name ASC',
      });
      const contacts = await readContacts(`/api.xro/2.0/Contacts?${query.toString()}`, `contacts page ${page}`);
      // Xero leaves archived contacts out unless asked; checked here too, as they cannot be linked.
      return { contacts: contacts.filter((contact) => !contact.archived), hasMore: contacts.length >= pageSize };
    },

    async listInvoices(contactId) {
      const deadline = now() + budgetMs;
      const wanted = contactId.toLowerCase();
      const invoices = (await fetchInvoices(contactId, deadline))
        // Our own check of Xero's filter: another company's invoice must never be shown.
        .filter((invoice) => invoice.Type === 'ACCREC' && invoice.Contact?.ContactID.toLowerCase() === wanted)
        .filter((invoice) => invoice.Status in LISTED_STATUSES)
        .map((invoice) => ({ invoiceId: invoice.InvoiceID, invoice: toCorporateInvoice(invoice, onlineUrls.get(invoice.InvoiceID)) }));

      const missingUrls = invoices.filter(({ invoice }) => invoice.status === 'awaiting_payment' && invoice.onlineUrl === null);
      for (const entry of missingUrls.slice(0, onlineUrlLimit)) {
        let url: string | null;
        try {
          url = await onlineUrl(entry.invoiceId, deadline);
        } catch (error) {
          // The invoices are what matter: without time or calls to spare, go without the links.
          if (error instanceof CorporateInvoicesUnavailableError) break;
          throw error;
        }
        if (url !== null) {
          remember(entry.invoiceId, url);
          entry.invoice = { ...entry.invoice, onlineUrl: url };
        }
      }
      return invoices
        .map(({ invoice }) => invoice)
        .sort((a, b) => b.issuedOn.localeCompare(a.issuedOn) || b.invoiceNumber.localeCompare(a.invoiceNumber));
    },
  };
}

function toCorporateContact(contact: z.infer<typeof contactSchema>): CorporateContact {
  return {
    contactId: contact.ContactID.toLowerCase(),
    name: contact.Name,
    email: contact.EmailAddress || null,
    archived: contact.ContactStatus !== undefined && contact.ContactStatus !== 'ACTIVE',
  };
}

function toCorporateInvoice(invoice: XeroInvoice, knownUrl: string | undefined): CorporateInvoice {
  const issuedOn = xeroDate(invoice.DateString, invoice.Date);
  if (!issuedOn) {
    throw new XeroUnavailableError(`Xero invoice ${invoice.InvoiceID} has no readable date.`, { reason: 'invalid_response' });
  }
  const currency = invoice.CurrencyCode.toLowerCase();
  return {
    invoiceNumber: invoice.InvoiceNumber ?? '',
    issuedOn,
    dueOn: xeroDate(invoice.DueDateString, invoice.DueDate) ?? null,
    total: toMinorUnits(invoice.Total, currency),
    amountDue: toMinorUnits(invoice.AmountDue, currency),
    currency,
    status: LISTED_STATUSES[invoice.Status]!,
    onlineUrl: knownUrl ?? null,
  };
}

/** `YYYY-MM-DD` from `DateString` (`2026-01-31T00:00:00`) or else `Date` (`/Date(ms+zzzz)/`). */
export function xeroDate(dateString: string | undefined, msDate: string | undefined): string | undefined {
  if (dateString && /^\d{4}-\d{2}-\d{2}/.test(dateString)) return dateString.slice(0, 10);
  const ms = msDate ? /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(msDate)?.[1] : undefined;
  return ms === undefined ? undefined : new Date(Number(ms)).toISOString().slice(0, 10);
}

/** Xero gives decimal amounts; the API gives minor units, as many as the currency has (2 for GBP, 0 for JPY). */
export function toMinorUnits(amount: number, currency: string): number {
  return Math.round(amount * 10 ** minorDigits(currency));
}

/** Per currency, looked up once: building a NumberFormat costs far more than the arithmetic. */
const digitsByCurrency = new Map<string, number>();
function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      // An unknown code: keep the common two decimals.
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

function transportFailure(spec: RequestSpec, timeout: number, error: unknown): XeroUnavailableError {
  return isTimeout(error)
    ? new XeroUnavailableError(`Xero ${spec.what} timed out after ${timeout} ms.`, { reason: 'timeout', cause: error })
    : new XeroUnavailableError(`Xero ${spec.what} failed: ${describeError(error)}.`, { reason: 'network', cause: error });
}

function statusFailure(spec: Pick<RequestSpec, 'what'>, answer: Answer, retryAfterSeconds: number | undefined): XeroUnavailableError {
  const wait = retryAfterSeconds === undefined ? '' : `; retry after ${retryAfterSeconds} s`;
  if (answer.status === 429) {
    // minute, day, concurrent or appminute: which of Xero's limits was hit.
    const problem = answer.headers.get('x-rate-limit-problem') ?? 'unknown';
    return new XeroUnavailableError(`Xero ${spec.what}: rate limited (${problem} limit)${wait}.`, {
      reason: 'rate_limited',
      status: 429,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    });
  }
  return new XeroUnavailableError(`Xero ${spec.what} answered ${answer.status}${wait}.`, {
    reason: answer.status === 408 ? 'timeout' : 'server_error',
    status: answer.status,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

function unexpectedStatus(spec: Pick<RequestSpec, 'what'>, answer: Answer): XeroUnavailableError {
  return new XeroUnavailableError(`Xero ${spec.what} answered an unexpected ${answer.status}.`, {
    reason: 'invalid_response',
    status: answer.status,
  });
}

function invalidResponse(spec: Pick<RequestSpec, 'what'>, answer: Answer): XeroUnavailableError {
  return new XeroUnavailableError(`Xero ${spec.what} answered ${answer.status} with a body that does not match its contract.`, {
    reason: 'invalid_response',
    status: answer.status,
  });
}

let defaultClient: XeroClient | undefined;

/** Built on first use, so importing this module needs no environment (tests, synthesis). */
function xero(): XeroClient {
  defaultClient ??= createXeroClient({
    apiBaseUrl: process.env[ENV.xeroApiUrl] || XERO_API_URL,
    identityBaseUrl: process.env[ENV.xeroIdentityUrl] || XERO_IDENTITY_URL,
    credentials: async () => JSON.parse(await getSecretString(requireEnv(ENV.xeroCredentialsSecretId))) as XeroCredentials,
  });
  return defaultClient;
}

/** The production source: Xero (or XERO_API_URL / XERO_IDENTITY_URL), credentials from Secrets Manager. */
export const xeroInvoiceSource: CorporateInvoiceSource = {
  listInvoices: async (contactId) => xero().listInvoices(contactId),
};

/** The production contact directory: the same Xero connection. */
export const xeroContactDirectory: CorporateContactDirectory = {
  findContact: async (contactId) => xero().findContact(contactId),
  searchContacts: async (term, page, pageSize) => xero().searchContacts(term, page, pageSize),
};
