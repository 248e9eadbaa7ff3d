/** A monthly price as typed in a form (pounds, euros…), read into the API's minor units. */

/** The API's range, in minor units: Stripe charges no less than 0.50. */
const MIN_PRICE = 50;
const MAX_PRICE = 10_000_000;

/** "120", "120.5", "120.50" → 12050; anything else is not an amount. */
function toMinorUnits(text: string): number | undefined {
  const match = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/^[£€$]/, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** The price in minor units, or what to say beside the field, in the units typed. */
export function readMonthlyPrice(text: string): { minor: number } | { problem: string } {
  const minor = toMinorUnits(text);
  if (minor === undefined) return { problem: 'Enter an amount such as 120.00.' };
  if (minor < MIN_PRICE) return { problem: 'Charge at least 0.50 a month.' };
  if (minor > MAX_PRICE) return { problem: 'Charge at most 100,000.00 a month.' };
  return { minor };
}
