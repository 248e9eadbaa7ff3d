import { describe, expect, it } from 'vitest';
import { syncSubscription, type BillingDeps, type BillingLine, type PaymentGateway, type SubscriptionItemState } from '../../functions/domain/billing';
import { nextRenewal } from '../../functions/domain/repricing';

const FAMILY = 'cp_1#car';

/**
 * A subscription in memory, changed by the calls billing makes; each call is logged with what it
 * would cost the tenant now (`charged` when Stripe would invoice a proration at once).
 */
function world(items: SubscriptionItemState[], lines: BillingLine[]) {
  let subscription = { subscriptionId: 'sub_1', customerId: 'cus_1', status: 'active', items: items.map((i) => ({ ...i })) };
  const calls: string[] = [];
  const item = (itemId: string) => subscription.items.find((i) => i.itemId === itemId)!;
  const replace = (itemId: string, next: SubscriptionItemState | undefined) => {
    subscription = { ...subscription, items: subscription.items.flatMap((i) => (i.itemId === itemId ? (next ? [next] : []) : [i])) };
  };
  let added = 0;
  const payments = {
    getSubscription: async () => subscription,
    findOpenSubscription: async () => subscription,
    addItem: async (_s: string, { priceId, quantity }: { priceId: string; quantity: number }) => {
      calls.push(`add ${priceId}×${quantity} charged`);
      subscription = { ...subscription, items: [...subscription.items, { itemId: `si_new${++added}`, priceId, quantity, family: FAMILY }] };
    },
    setItemQuantity: async (itemId: string, { quantity, growth, credit }: { quantity: number; growth: boolean; credit: boolean }) => {
      calls.push(`quantity ${item(itemId).priceId}→${quantity} ${growth ? 'charged' : credit ? 'credited' : 'no proration'}`);
      replace(itemId, { ...item(itemId), quantity });
    },
    changeItemPrice: async (itemId: string, { priceId, quantity }: { priceId: string; quantity: number }) => {
      calls.push(`price ${item(itemId).priceId}→${priceId}×${quantity} no proration`);
      replace(itemId, { ...item(itemId), priceId, quantity });
    },
    removeItem: async (itemId: string, { credit }: { credit: boolean }) => {
      calls.push(`remove ${item(itemId).priceId} ${credit ? 'credited' : 'no proration'}`);
      replace(itemId, undefined);
    },
    awaitingAuthentication: async () => undefined,
  } as unknown as PaymentGateway;
  const deps: BillingDeps = {
    billing: {
      get: async () => ({ userId: 'usr_1', customerId: 'cus_1', subscriptionId: 'sub_1', version: 3, lines }),
      recordSubscription: async () => undefined,
    } as unknown as BillingDeps['billing'],
    payments,
    users: { get: async () => undefined },
    clock: { now: () => new Date('2026-12-05T10:00:00Z') },
  };
  return { deps, calls, items: () => subscription.items.map((i) => `${i.priceId}×${i.quantity}`).sort() };
}

describe('billing after a car park price change', () => {
  it('moves a space on the superseded price to the new price with nothing charged now', async () => {
    const { deps, calls, items } = world(
      [{ itemId: 'si_1', priceId: 'price_old', quantity: 2, family: FAMILY }],
      [
        { priceId: 'price_old', quantity: 0, family: FAMILY },
        { priceId: 'price_new', quantity: 2, family: FAMILY },
      ],
    );
    await syncSubscription(deps, 'usr_1', 'reprice-cp_1', { mode: 'shrink' });
    expect(calls).toEqual(['price price_old→price_new×2 no proration']);
    expect(items()).toEqual(['price_new×2']);
  });

  it('charges only a space that is really new when the tenant rented another at the new price', async () => {
    const { deps, calls, items } = world(
      [{ itemId: 'si_1', priceId: 'price_old', quantity: 1, family: FAMILY }],
      [{ priceId: 'price_new', quantity: 2, family: FAMILY }],
    );
    await syncSubscription(deps, 'usr_1', 'setup-tn_2');
    expect(calls).toEqual(['price price_old→price_new×1 no proration', 'quantity price_new→2 charged']);
    expect(items()).toEqual(['price_new×2']);
  });

  it('joins the superseded item to the new price’s item without charging for the spaces it carries', async () => {
    const { deps, calls, items } = world(
      [
        { itemId: 'si_1', priceId: 'price_old', quantity: 1, family: FAMILY },
        { itemId: 'si_2', priceId: 'price_new', quantity: 1, family: FAMILY },
      ],
      [{ priceId: 'price_new', quantity: 2, family: FAMILY }],
    );
    await syncSubscription(deps, 'usr_1', 'reprice-cp_1', { mode: 'shrink' });
    expect(calls).toEqual(['quantity price_new→2 no proration', 'remove price_old no proration']);
    expect(items()).toEqual(['price_new×2']);
  });

  it('leaves other car parks’ and vehicle types’ items alone', async () => {
    const { deps, calls, items } = world(
      [
        { itemId: 'si_1', priceId: 'price_old', quantity: 1, family: FAMILY },
        { itemId: 'si_2', priceId: 'price_van', quantity: 1, family: 'cp_1#van' },
      ],
      [
        { priceId: 'price_new', quantity: 1, family: FAMILY },
        { priceId: 'price_van', quantity: 1, family: 'cp_1#van' },
      ],
    );
    await syncSubscription(deps, 'usr_1', 'reprice-cp_1', { mode: 'shrink' });
    expect(calls).toEqual(['price price_old→price_new×1 no proration']);
    expect(items()).toEqual(['price_new×1', 'price_van×1']);
  });

  it('is done once: a second run changes nothing', async () => {
    const { deps, calls } = world(
      [{ itemId: 'si_1', priceId: 'price_old', quantity: 1, family: FAMILY }],
      [{ priceId: 'price_new', quantity: 1, family: FAMILY }],
    );
    await syncSubscription(deps, 'usr_1', 'reprice-cp_1', { mode: 'shrink' });
    await syncSubscription(deps, 'usr_1', 'reprice-cp_1', { mode: 'shrink' });
    expect(calls).toEqual(['price price_old→price_new×1 no proration']);
  });
});

describe('the date a new price is first charged', () => {
  it('is the recorded renewal when it is still ahead', () => {
    expect(nextRenewal('2027-01-05T10:00:00.000Z', '2026-12-20T09:00:00.000Z')).toBe('2027-01-05T10:00:00.000Z');
  });

  it('is a month on for each renewal already past (a renewal left unpaid)', () => {
    expect(nextRenewal('2026-11-05T10:00:00.000Z', '2026-12-20T09:00:00.000Z')).toBe('2027-01-05T10:00:00.000Z');
  });

  it('falls on the last day of a shorter month for a renewal on the 31st', () => {
    expect(nextRenewal('2027-01-31T10:00:00.000Z', '2027-02-01T09:00:00.000Z')).toBe('2027-02-28T10:00:00.000Z');
    expect(nextRenewal('2027-01-31T10:00:00.000Z', '2027-03-01T09:00:00.000Z')).toBe('2027-03-31T10:00:00.000Z');
  });
});
