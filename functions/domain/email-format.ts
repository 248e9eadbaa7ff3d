/**
 * What emails link to and how they write dates. Links go to pages of the tenant portal (the paths
 * the web app serves); dates are written for people, in the car park's time zone.
 */

/** Where a car park is when it names none. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The time zone of the car park where the tenant parks (the first one listed), for dates in their emails. */
export async function timeZoneOfTenant(
  deps: {
    readonly tenancies: { listByUser(userId: string, query: { limit: number }): Promise<{ items: readonly { carparkId: string }[] }> };
    readonly carparks: { get(carparkId: string): Promise<{ timeZone?: string } | undefined> };
  },
  userId: string,
): Promise<string> {
  const [first] = (await deps.tenancies.listByUser(userId, { limit: 1 })).items;
  return (first && (await deps.carparks.get(first.carparkId))?.timeZone) || DEFAULT_TIME_ZONE;
}

/** A plain-text email as escaped HTML paragraphs; the line that ends with `url` becomes a link reading `label`. */
export function linkedHtml(text: string, url: string, label: string): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return text
    .split('\n')
    .map((line) => {
      if (!line) return '';
      if (line.endsWith(url)) return `<p><a href="${escape(url)}">${escape(label)}</a></p>`;
      return `<p>${escape(line)}</p>`;
    })
    .join('');
}

/** The portal's pages, from the web site's base URL. */
export function portalLinks(webBaseUrl: string) {
  const base = webBaseUrl.replace(/\/+$/, '');
  const q = encodeURIComponent;
  return {
    billing: `${base}/my/billing`,
    /** Billing with this invoice picked out (receipts). */
    invoice: (invoiceId: string) => `${base}/my/billing?invoice=${q(invoiceId)}`,
    /** Billing with "pay now" open for this invoice (failed payments, dunning). */
    payInvoice: (invoiceId: string) => `${base}/my/billing?pay=${q(invoiceId)}`,
    /** Where the tenant confirms a payment the bank wants authenticated (3-D Secure). */
    authenticatePayment: (invoiceId: string) => `${base}/my/billing/authenticate/${q(invoiceId)}`,
    tenancies: `${base}/my/tenancies`,
    tenancy: (tenancyId: string) => `${base}/my/tenancies/${q(tenancyId)}`,
    /** A waitlist offer: its price, its deadline, accept or decline. */
    offer: (offerId: string) => `${base}/my/offers/${q(offerId)}`,
    waitlist: `${base}/my/waitlist`,
    resetPassword: `${base}/reset-password`,
  };
}

export type PortalLinks = ReturnType<typeof portalLinks>;

function parts(iso: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const found: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).formatToParts(new Date(iso))) found[part.type] = part.value;
  return found;
}

/** "Friday 4 December 2026", the day it is at the car park. */
export function formatDay(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const p = parts(iso, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "14:05", on the car park's clock. */
export function formatTime(iso: string, timeZone = DEFAULT_TIME_ZONE): string {
  const p = parts(iso, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute}`;
}

/** "Friday 4 December 2026 at 14:05". */
export const formatDayAndTime = (iso: string, timeZone = DEFAULT_TIME_ZONE): string => `${formatDay(iso, timeZone)} at ${formatTime(iso, timeZone)}`;

/** "£85.00": minor units in the currency, for emails. */
export const formatMoney = (minor: number, currency: string): string =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);

/** "A", "A and B", "A, B and C", as English writes a list. */
export const formatList = (items: readonly string[]): string => new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' }).format(items);
