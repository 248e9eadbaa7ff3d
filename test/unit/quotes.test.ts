import { describe, expect, it } from 'vitest';
import type { InvoicePreview, PreviewItem, SubscriptionItemState } from '../../functions/domain/billing';
import { ForbiddenError, ValidationError } from '../../functions/domain/errors';
import type { Principal } from '../../functions/domain/identity';
import { acceptedQuote, honouredQuote, quoteChange, type QuoteDeps } from '../../functions/domain/quotes';

const NOW = new Date('2026-12-05T10:00:00Z');
const tenant = { userId: 'usr_1', role: 'tenant' } as Principal;

/** A tenant with a subscription of these items; each preview asked of Stripe is logged with its answer. */
function world(items: SubscriptionItemState[], totals: { always_invoice?: number[]; none?: number }) {
  const asked: { items: readonly PreviewItem[]; proration: string; prorationDate: string }[] = [];
  const charges = [...(totals.always_invoice ?? [])];
  const deps: QuoteDeps = {
    billing: { get: async () => ({ userId: 'usr_1', customerId: 'cus_1', subscriptionId: 'sub_1', version: 1, lines: [], defaultCard: { brand: 'visa', last4: '4242' } }) } as unknown as QuoteDeps['billing'],
    payments: {
      getSubscription: async () => ({ subscriptionId: 'sub_1', status: 'active', items, currentPeriodStart: '2026-12-01T00:00:00.000Z', currentPeriodEnd: '2027-01-01T00:00:00.000Z' }),
      previewInvoice: async (input) => {
        asked.push({ items: input.items, proration: input.proration, prorationDate: input.prorationDate });
        const total = input.proration === 'none' ? (totals.none ?? 0) : (charges.shift() ?? 0);
        return { total, amountDue: Math.max(0, total), lines: [], periodStart: '2027-01-01T00:00:00.000Z' } as unknown as InvoicePreview;
      },
    },
    carparks: {
      get: async () => ({ carparkId: 'cp_1', currency: 'gbp', prices: { car: 10_000, motorcycle: 4_000 }, stripePrices: { car: 'price_car', motorcycle: 'price_moto' } }),
    } as unknown as QuoteDeps['carparks'],
    tenancies: {
      get: async (id: string) =>
        id === 'tn_mine'
          ? ({ tenancyId: 'tn_mine', userId: 'usr_1', carparkId: 'cp_1', vehicleType: 'car', priceId: 'price_car', currency: 'gbp', status: 'active', renewsAt: '2027-01-01T00:00:00.000Z' } as never)
          : undefined,
    },
    clock: { now: () => NOW },
  };
  return { deps, asked };
}

describe('a quote’s moment', () => {
  it('is honoured for thirty minutes and never from the future', () => {
    expect(honouredQuote('2026-12-05T09:31:00.000Z', NOW)).toBe('2026-12-05T09:31:00.000Z');
    expect(honouredQuote('2026-12-05T09:29:00.000Z', NOW)).toBeUndefined();
    expect(honouredQuote('2026-12-05T10:01:00.000Z', NOW)).toBeUndefined();
    expect(() => acceptedQuote('2026-12-05T09:00:00.000Z', NOW)).toThrow(ValidationError);
    expect(acceptedQuote(undefined, NOW)).toBeUndefined();
  });
});

describe('quoting a change', () => {
  it('prices a second space as its item grows, charged now from the quote’s moment, and the renewal after it', async () => {
    const { deps, asked } = world([{ itemId: 'si_car', priceId: 'price_car', quantity: 1, family: 'cp_1#car' }], { always_invoice: [9_032], none: 20_000 });
    const quote = await quoteChange(deps, tenant, { kind: 'rent', carparkId: 'cp_1', vehicleType: 'car' });
    expect(quote).toEqual({ currency: 'gbp', chargedNow: 9_032, credited: 0, nextRenewal: { on: '2027-01-01T00:00:00.000Z', amount: 20_000 }, quotedAt: NOW.toISOString() });
    expect(asked).toEqual([
      { items: [{ itemId: 'si_car', quantity: 2 }], proration: 'always_invoice', prorationDate: NOW.toISOString() },
      { items: [{ itemId: 'si_car', priceId: 'price_car', quantity: 2 }], proration: 'none', prorationDate: NOW.toISOString() },
    ]);
  });

  it('charges a space on a replaced price as a new item at the new price, and renews both on the new one', async () => {
    const { deps, asked } = world([{ itemId: 'si_old', priceId: 'price_car_old', quantity: 1, family: 'cp_1#car' }], { always_invoice: [9_000], none: 20_000 });
    await quoteChange(deps, tenant, { kind: 'rent', carparkId: 'cp_1', vehicleType: 'car' });
    expect(asked.map((a) => a.items)).toEqual([[{ priceId: 'price_car', quantity: 1 }], [{ itemId: 'si_old', priceId: 'price_car', quantity: 2 }]]);
  });

  it('credits the old vehicle type’s unused days and never quotes a renewal below nothing', async () => {
    const { deps, asked } = world([{ itemId: 'si_car', priceId: 'price_car', quantity: 1, family: 'cp_1#car' }], { always_invoice: [3_000, -7_500], none: 4_000 });
    const quote = await quoteChange(deps, tenant, { kind: 'vehicle_change', tenancyId: 'tn_mine', vehicleType: 'motorcycle' });
    expect(quote).toMatchObject({ chargedNow: 3_000, credited: 7_500, nextRenewal: { amount: 0 } });
    expect(asked.map((a) => a.items)).toEqual([
      [{ priceId: 'price_moto', quantity: 1 }],
      [{ itemId: 'si_car', deleted: true }],
      [{ priceId: 'price_moto', quantity: 1 }, { itemId: 'si_car', deleted: true }],
    ]);
  });

  it('quotes cancelling the only space as nothing now and nothing to renew, without asking Stripe', async () => {
    const { deps, asked } = world([{ itemId: 'si_car', priceId: 'price_car', quantity: 1, family: 'cp_1#car' }], {});
    const quote = await quoteChange(deps, tenant, { kind: 'cancel', tenancyId: 'tn_mine' });
    expect(quote).toEqual({ currency: 'gbp', chargedNow: 0, credited: 0, endsOn: '2027-01-01T00:00:00.000Z', quotedAt: NOW.toISOString() });
    expect(asked).toEqual([]);
  });

  it('is for tenants only, and only for their own tenancies', async () => {
    const { deps } = world([], {});
    await expect(quoteChange(deps, { userId: 'usr_9', role: 'operator' } as Principal, { kind: 'cancel', tenancyId: 'tn_mine' })).rejects.toThrow(ForbiddenError);
    await expect(quoteChange(deps, { userId: 'usr_2', role: 'tenant' } as Principal, { kind: 'cancel', tenancyId: 'tn_mine' })).rejects.toThrow(/Tenancy/);
  });
});
