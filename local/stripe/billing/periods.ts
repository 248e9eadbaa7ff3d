export type Interval = 'day' | 'week' | 'month' | 'year';

export const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'year'];

const DAY = 86_400;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * The `n`-th billing boundary after `anchor` (n may be negative). Months and years keep the
 * anchor's day of month and time of day, clamped to the month's length (Jan 31 → Feb 28 → Mar 31),
 * always computed from the anchor so short months do not drift later periods.
 */
export function boundary(anchor: number, interval: Interval, count: number, n: number): number {
  if (interval === 'day') return anchor + n * count * DAY;
  if (interval === 'week') return anchor + n * count * 7 * DAY;
  const months = (interval === 'year' ? 12 : 1) * count * n;
  const d = new Date(anchor * 1000);
  const totalMonths = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

/** Amount for the part of a period still to run at `at`, as Stripe prorates: to the second, rounded. */
export function prorate(fullAmount: number, at: number, periodStart: number, periodEnd: number): number {
  if (periodEnd <= periodStart) return 0;
  const remaining = Math.min(Math.max(periodEnd - at, 0), periodEnd - periodStart);
  return Math.round((fullAmount * remaining) / (periodEnd - periodStart));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const SYMBOLS: Record<string, string> = { gbp: '£', usd: '$', eur: '€' };

export function formatMoney(amount: number, currency: string): string {
  const symbol = SYMBOLS[currency];
  const value = (amount / 100).toFixed(2);
  return symbol ? `${amount < 0 ? '-' : ''}${symbol}${Math.abs(amount / 100).toFixed(2)}` : `${value} ${currency.toUpperCase()}`;
}
