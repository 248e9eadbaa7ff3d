/**
 * Display formatting only: amounts, periods and statuses come from the API as they are, and are
 * turned into words here. Dates are shown in the car park's time zone (all car parks are in the
 * UK today, so Europe/London).
 */
export const TIME_ZONE = 'Europe/London';

/** Minor units (pence) in the given currency → "£12.50". */
export function money(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);
}

/** "Saturday 3 January 2027", in the car park's time zone when it is given. */
export function longDate(iso: string, timeZone: string = TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(iso));
}

/** "3 Jan 2027". */
export function shortDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: TIME_ZONE }).format(new Date(iso));
}

/** "14:05". */
export function time(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(new Date(iso));
}

/** "14:05 on 3 Jan 2027", or "14:05 today". */
export function timeAndDay(iso: string): string {
  const day = shortDate(iso);
  return day === shortDate(new Date().toISOString()) ? `${time(iso)} today` : `${time(iso)} on ${day}`;
}

/** "3 Jan – 2 Feb 2027". */
export function period(startIso: string, endIso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: TIME_ZONE }).formatRange(
    new Date(startIso),
    new Date(endIso),
  );
}

const VEHICLE_TYPE_NAMES: Record<string, string> = { car: 'Car', motorcycle: 'Motorcycle', van: 'Van', ev: 'Electric vehicle' };
export const vehicleTypeName = (type: string): string => VEHICLE_TYPE_NAMES[type] ?? type;

const STATUS_NAMES: Record<string, string> = {
  scheduled: 'Booked',
  pending: 'Setting up',
  active: 'Active',
  cancelling: 'Cancelled, ending soon',
  suspended: 'Suspended (unpaid)',
  ended: 'Ended',
  failed: 'Could not start',
};
export const tenancyStatusName = (status: string): string => STATUS_NAMES[status] ?? status;

const INVOICE_STATUS_NAMES: Record<string, string> = {
  draft: 'Draft',
  open: 'Unpaid',
  paid: 'Paid',
  uncollectible: 'Uncollectible',
  void: 'Void',
};
export const invoiceStatusName = (status: string | null): string => (status ? (INVOICE_STATUS_NAMES[status] ?? status) : '—');

/** Today's date in the car park's time zone, `YYYY-MM-DD`. */
export function todayInTimeZone(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
}

/** Midnight at the start of `YYYY-MM-DD` in the car park's time zone, as an ISO timestamp with offset. */
export function startOfDayIso(date: string): string {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(noonUtc)
    .find((part) => part.type === 'timeZoneName')
    ?.value.replace('GMT', '');
  return `${date}T00:00:00${offset && offset !== '' ? offset : '+00:00'}`;
}

/** "A", "A and B", "A, B and C", as English writes a list. */
export const list = (items: readonly string[]): string => new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' }).format(items);
