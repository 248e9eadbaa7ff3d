/**
 * A car park's price change reaching the tenancies it already has. New tenancies pay the new price
 * at once (they are priced from the car park). An existing one moves onto the new price now and
 * pays it from its next renewal: its Stripe item moves to the new price without proration, so
 * nothing is charged or credited in between, and the tenant is emailed the new price, the old one
 * and the date (policy: docs/tenancies.md, "Price changes").
 *
 * Moved: active and suspended tenancies (billed and renewing) and scheduled ones (not billed yet:
 * they start on the new price). Not a cancelling one (it ends with its paid period and never
 * renews at the new price), nor one in setup or in a vehicle change: those are left to the next
 * run, which takes any tenancy still off its car park's price (a cancellation undone, a setup
 * finished).
 *
 * Runs on the car park's price-change event and nightly over every car park. Idempotent: a
 * tenancy already on its price is not moved again, and a notice not yet sent
 * (`priceChange.notifiedAt` absent) is sent by the next run after Stripe has been brought along.
 * The old price is archived once no live tenancy is left on it.
 */
import { syncSubscription, type BillingDeps } from './billing';
import type { Carpark } from './carparks';
import { mapLimited } from './concurrency';
import { DEFAULT_TIME_ZONE, formatDay, formatMoney, linkedHtml, type PortalLinks } from './email-format';
import type { CarparkRepository, Mailer } from './ports';
import type { Tenancy, TenancyRepository, TenancyStatus } from './tenancies';

export interface RepricingDeps extends BillingDeps {
  readonly carparks: Pick<CarparkRepository, 'get' | 'list'>;
  readonly tenancies: Pick<TenancyRepository, 'liveAtCarpark' | 'reprice' | 'markPriceChangeNotified' | 'get'>;
  readonly mailer: Mailer;
  readonly links: PortalLinks;
}

/** Statuses whose tenancies take a new price of their car park (see above). */
export const REPRICED_STATUSES: readonly TenancyStatus[] = ['active', 'suspended', 'scheduled'];

/** Tenancies moved, and tenants' Stripe subscriptions changed, at a time. */
const CONCURRENCY = 8;

export interface RepricingRun {
  readonly carparkId: string;
  /** Tenancies moved onto the new price by this run. */
  readonly repriced: number;
  /** Tenancies whose tenant was emailed by this run. */
  readonly notified: number;
  /** Tenants whose subscription could not be changed (left for the next run, which retries). */
  readonly errors: readonly { userId: string; message: string }[];
}

/** The car park's current price for the tenancy's vehicle type, when it differs from the tenancy's. */
function newPriceOf(carpark: Carpark, t: Tenancy): { priceId: string; monthlyAmount: number } | undefined {
  const priceId = carpark.stripePrices?.[t.vehicleType];
  const monthlyAmount = carpark.prices[t.vehicleType];
  if (!priceId || monthlyAmount === undefined || priceId === t.priceId) return undefined;
  return { priceId, monthlyAmount };
}

/** The first renewal after `now`: the recorded one, or a month on from it for each one missed (an unpaid renewal). */
export function nextRenewal(renewsAt: string | undefined, now: string): string {
  if (!renewsAt) return now;
  const next = new Date(renewsAt);
  const day = next.getUTCDate();
  for (let months = 1; next.toISOString() <= now && months <= 24; months++) {
    const later = new Date(renewsAt);
    later.setUTCDate(1);
    later.setUTCMonth(later.getUTCMonth() + months);
    // The 31st renews on the last day of a shorter month, as Stripe does.
    const lastDay = new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth() + 1, 0)).getUTCDate();
    later.setUTCDate(Math.min(day, lastDay));
    next.setTime(later.getTime());
  }
  return next.toISOString();
}

export async function repriceCarpark(deps: RepricingDeps, carparkId: string): Promise<RepricingRun> {
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark) return { carparkId, repriced: 0, notified: 0, errors: [] };
  const now = deps.clock.now().toISOString();
  const live = await deps.tenancies.liveAtCarpark(carparkId);

  const toMove = live.filter((t) => REPRICED_STATUSES.includes(t.status) && !t.previousVehicle && newPriceOf(carpark, t));
  const moved = await mapLimited(toMove, CONCURRENCY, async (t) => {
    const to = newPriceOf(carpark, t)!;
    const from = t.status === 'scheduled' ? t.startDate : nextRenewal(t.renewsAt, now);
    const note = {
      kind: 'price_changed' as const,
      source: 'platform' as const,
      detail: { previousAmount: t.monthlyAmount, monthlyAmount: to.monthlyAmount, currency: t.currency, from },
    };
    return (await deps.tenancies.reprice(t, { ...to, from }, now, note)) ? t.tenancyId : undefined;
  });

  // Moved now or by an earlier run that stopped before its emails: read as they are now.
  const unnotified = new Set([
    ...moved.filter((id): id is string => id !== undefined),
    ...live.filter((t) => t.priceChange && !t.priceChange.notifiedAt).map((t) => t.tenancyId),
  ]);
  const tenancies = (await mapLimited([...unnotified], CONCURRENCY, (id) => deps.tenancies.get(id, true))).filter(
    (t): t is Tenancy => t?.priceChange !== undefined && !t.priceChange.notifiedAt,
  );
  const byTenant = new Map<string, Tenancy[]>();
  for (const t of tenancies) byTenant.set(t.userId, [...(byTenant.get(t.userId) ?? []), t]);

  const errors: { userId: string; message: string }[] = [];
  let notified = 0;
  await mapLimited([...byTenant], CONCURRENCY, async ([userId, theirs]) => {
    try {
      // Stripe first: a tenant is told of a price only once their subscription will charge it.
      // The key names the tenant: two tenants' accounts may be at the same version on the same prices.
      if (theirs.some((t) => t.status !== 'scheduled')) await syncSubscription(deps, userId, `reprice-${carparkId}-${userId}`, { mode: 'shrink' });
      await sendNotice(deps, carpark, userId, theirs);
      const at = deps.clock.now().toISOString();
      for (const t of theirs) await deps.tenancies.markPriceChangeNotified(t.tenancyId, t.priceChange!.at, at);
      notified += theirs.length;
    } catch (error) {
      errors.push({ userId, message: error instanceof Error ? error.message : String(error) });
    }
  });
  await retireSupersededPrices(deps, carpark, live, moved, tenancies);
  return { carparkId, repriced: moved.filter(Boolean).length, notified, errors };
}

/**
 * Archives the prices this run moved tenancies off, once no live tenancy is left on them (one in
 * setup or in a vehicle change keeps its price active until a later run moves it), so Stripe
 * refuses them for anything new.
 */
async function retireSupersededPrices(
  deps: RepricingDeps,
  carpark: Carpark,
  live: readonly Tenancy[],
  moved: readonly (string | undefined)[],
  repriced: readonly Tenancy[],
): Promise<void> {
  const movedIds = new Set(moved);
  const current = new Set(Object.values(carpark.stripePrices ?? {}));
  const previous = new Set(repriced.map((t) => t.priceChange!.previousPriceId));
  for (const priceId of previous) {
    const stillOn = live.some((t) => t.priceId === priceId && !movedIds.has(t.tenancyId));
    if (!current.has(priceId) && !stillOn) await deps.payments.deactivatePrice(priceId);
  }
}

/** Every car park, one after the other (the nightly run). */
export async function repriceAllCarparks(deps: RepricingDeps): Promise<RepricingRun[]> {
  const runs: RepricingRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.carparks.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const carpark of page.items) runs.push(await repriceCarpark(deps, carpark.carparkId));
    cursor = page.nextCursor;
  } while (cursor);
  return runs;
}

async function sendNotice(deps: RepricingDeps, carpark: Carpark, userId: string, tenancies: readonly Tenancy[]): Promise<void> {
  const user = await deps.users.get(userId);
  if (!user) return;
  const timeZone = carpark.timeZone ?? DEFAULT_TIME_ZONE;
  const paragraphs = tenancies.map((t) => {
    const change = t.priceChange!;
    const price = `${formatMoney(t.monthlyAmount, t.currency)} a month (it was ${formatMoney(change.previousAmount, t.currency)})`;
    return t.status === 'scheduled'
      ? `Your ${t.vehicleType} space for ${t.plate} starts on ${formatDay(change.from, timeZone)} at the new price of ${price}.`
      : `From your renewal on ${formatDay(change.from, timeZone)}, your ${t.vehicleType} space for ${t.plate} costs ${price}. Until then nothing changes: the month you have paid for stays at the old price, and nothing is charged now.`;
  });
  const link = tenancies.length === 1 ? deps.links.tenancy(tenancies[0]!.tenancyId) : deps.links.tenancies;
  const text = [
    `Hello ${user.name},`,
    '',
    `${carpark.name} has changed its monthly prices.`,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    `If you would rather not continue at the new price, you can cancel before that date: your space then ends with the month you have paid for.`,
    '',
    `Your tenancy: ${link}`,
    '',
    'Carpark Tenancy',
  ].join('\n');
  await deps.mailer.send({
    to: user.email,
    subject: `The price of your space at ${carpark.name} is changing`,
    text,
    html: linkedHtml(text, link, tenancies.length === 1 ? 'See your tenancy' : 'See your tenancies'),
  });
}
