import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundary, prorate } from '../../../local/stripe/billing/periods';
import { decodeForm } from '../../../local/stripe/http/form';

describe('form decoding (the SDK’s bracket encoding)', () => {
  it('builds nested objects and indexed arrays', () => {
    expect(decodeForm('items[0][price]=price_a&items[0][quantity]=2&items[1][price]=price_b&expand[0]=latest_invoice&metadata[tenancy]=t1')).toEqual({
      items: [{ price: 'price_a', quantity: '2' }, { price: 'price_b' }],
      expand: ['latest_invoice'],
      metadata: { tenancy: 't1' },
    });
  });

  it('keeps empty values (Stripe uses them to unset) and appends `[]` entries', () => {
    expect(decodeForm('description=&expand[]=a&expand[]=b')).toEqual({ description: '', expand: ['a', 'b'] });
  });

  it('keeps numeric metadata keys as keys, not array indices', () => {
    expect(decodeForm('metadata[0]=zero&metadata[1]=one')).toEqual({ metadata: { '0': 'zero', '1': 'one' } });
  });

  it('decodes percent-encoded brackets and values', () => {
    expect(decodeForm('metadata%5Bnote%5D=a%26b%20c')).toEqual({ metadata: { note: 'a&b c' } });
  });
});

describe('billing periods', () => {
  it('keeps the anchor day, clamped to short months, without drifting', () => {
    const jan31 = Date.UTC(2031, 0, 31, 12) / 1000;
    const ends = [1, 2, 3, 4].map((n) => new Date(boundary(jan31, 'month', 1, n) * 1000).toISOString().slice(0, 10));
    expect(ends).toEqual(['2031-02-28', '2031-03-31', '2031-04-30', '2031-05-31']);
  });

  it('produces strictly increasing boundaries for every interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 946_684_800, max: 2_500_000_000 }),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -3, max: 24 }),
        (anchor, interval, count, n) => boundary(anchor, interval, count, n + 1) > boundary(anchor, interval, count, n),
      ),
    );
  });

  it('prorates within [0, full amount], full at the period start and zero at its end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 40 * 86_400 }), fc.double({ min: 0, max: 1, noNaN: true }), (amount, length, f) => {
        const start = 2_000_000_000;
        const at = start + Math.floor(length * f);
        const p = prorate(amount, at, start, start + length);
        return p >= 0 && p <= amount && prorate(amount, start, start, start + length) === amount && prorate(amount, start + length, start, start + length) === 0;
      }),
    );
  });
});
