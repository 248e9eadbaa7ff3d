/**
 * What a person reads beside a field: the API's plain words for an empty, too long or out of
 * range value (a schema's own message still first), and the car park form's price range in
 * the pounds it is typed in.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import '../../functions/zod-messages';
import { readMonthlyPrice } from '../../web/src/lib/monthly-price';

const messagesOf = (schema: z.ZodMiniType, value: unknown) => {
  const result = schema.safeParse(value);
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
};

describe('validation messages', () => {
  it('says what to do about an empty, missing, too long or out of range value', () => {
    const form = z.object({
      name: z.string().check(z.minLength(1)),
      phone: z.string(),
      code: z.string().check(z.minLength(2), z.maxLength(3)),
      plates: z.int().check(z.gte(1), z.lte(3)),
      tags: z.array(z.string()).check(z.maxLength(2)),
    });
    expect(messagesOf(form, { name: '', code: 'ABCD', plates: 5, tags: ['a', 'b', 'c'] })).toEqual({
      name: 'Required.',
      phone: 'Required.',
      code: 'Use at most 3 characters.',
      plates: 'At most 3.',
      tags: 'Use at most 2 items.',
    });
    expect(messagesOf(form, { name: 'x', phone: '1', code: 'A', plates: 0, tags: [] })).toEqual({ code: 'Use at least 2 characters.', plates: 'At least 1.' });
  });

  it('keeps a schema’s own message and zod’s English for everything else', () => {
    const form = z.object({ name: z.string().check(z.minLength(1, 'Enter a name.')), email: z.email(), kind: z.enum(['a', 'b']), age: z.number() });
    expect(messagesOf(form, { name: '', email: 'nope', kind: 'c', age: 'ten' })).toEqual({
      name: 'Enter a name.',
      email: 'Invalid email address',
      kind: 'Invalid option: expected one of "a"|"b"',
      age: 'Invalid input: expected number, received string',
    });
  });
});

describe('a car park form’s monthly price', () => {
  it('is refused below 0.50 and above 100,000.00, in the units typed, and read in minor units between', () => {
    expect(['0.30', '0.50', '120', '£120.5', '100000.00', '100000.01', '12,00', ''].map(readMonthlyPrice)).toEqual([
      { problem: 'Charge at least 0.50 a month.' },
      { minor: 50 },
      { minor: 12_000 },
      { minor: 12_050 },
      { minor: 10_000_000 },
      { problem: 'Charge at most 100,000.00 a month.' },
      { problem: 'Enter an amount such as 120.00.' },
      { problem: 'Enter an amount such as 120.00.' },
    ]);
  });
});
