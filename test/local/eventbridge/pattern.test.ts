import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventRules, type EventPattern } from '../../../functions/events';
import { InvalidEventPatternError, matchesPattern } from '../../../local/eventbridge/pattern';

const invoicePaid = {
  version: '0',
  id: 'e-1',
  'detail-type': 'invoice.paid',
  source: 'carpark.stripe',
  account: '000000000000',
  time: '2025-01-01T00:00:00Z',
  region: 'local',
  resources: ['arn:aws:stripe:in_1', 'arn:aws:stripe:cus_1'],
  detail: { data: { object: { id: 'in_1', amount_paid: 12_500, status: 'paid', lines: ['rent', 'deposit'], voided: null } } },
};

describe('matching exact values', () => {
  it('matches when any value of a field matches (OR) and every field matches (AND)', () => {
    expect(matchesPattern({ source: ['other', 'carpark.stripe'], 'detail-type': ['invoice.paid'] }, invoicePaid)).toBe(true);
    expect(matchesPattern({ source: ['carpark.stripe'], 'detail-type': ['invoice.created'] }, invoicePaid)).toBe(false);
  });

  it('matches nested fields through nested objects', () => {
    expect(matchesPattern({ detail: { data: { object: { status: ['paid'] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { status: ['open'] } } } }, invoicePaid)).toBe(false);
    expect(matchesPattern({ detail: { data: { missing: { status: ['paid'] } } } }, invoicePaid)).toBe(false);
  });

  it('matches an array in the event when any element matches', () => {
    expect(matchesPattern({ resources: ['arn:aws:stripe:cus_1'] }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { lines: ['deposit', 'other'] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ resources: ['arn:aws:stripe:cus_2'] }, invoicePaid)).toBe(false);
  });

  it('tells null, empty strings, numbers and their string forms apart', () => {
    expect(matchesPattern({ detail: { data: { object: { voided: [null] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { voided: [''] } } } }, invoicePaid)).toBe(false);
    expect(matchesPattern({ detail: { data: { object: { amount_paid: [12_500] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { amount_paid: ['12500'] } } } }, invoicePaid)).toBe(false);
  });

  it('does not match a field whose value is an object against a value', () => {
    expect(matchesPattern({ detail: ['x'] }, invoicePaid)).toBe(false);
  });
});

describe('matching operators', () => {
  it('prefix matches strings starting with it', () => {
    expect(matchesPattern({ source: [{ prefix: 'carpark.' }] }, invoicePaid)).toBe(true);
    expect(matchesPattern({ source: [{ prefix: 'aws.' }] }, invoicePaid)).toBe(false);
    expect(matchesPattern({ detail: { data: { object: { amount_paid: [{ prefix: '12' }] } } } }, invoicePaid)).toBe(false);
  });

  it('anything-but excludes a value, a list of values or a prefix', () => {
    expect(matchesPattern({ source: [{ 'anything-but': 'aws.ec2' }] }, invoicePaid)).toBe(true);
    expect(matchesPattern({ source: [{ 'anything-but': 'carpark.stripe' }] }, invoicePaid)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': ['a', 'carpark.stripe'] }] }, invoicePaid)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': { prefix: 'carpark.' } }] }, invoicePaid)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': { prefix: 'aws.' } }] }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { amount_paid: [{ 'anything-but': [0, 1] }] } } } }, invoicePaid)).toBe(true);
  });

  it('anything-but does not match a missing field', () => {
    expect(matchesPattern({ detail: { nope: [{ 'anything-but': 'x' }] } }, invoicePaid)).toBe(false);
  });

  it('exists matches on presence, including below a missing parent for exists: false', () => {
    expect(matchesPattern({ detail: { data: { object: { id: [{ exists: true }] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { id: [{ exists: false }] } } } }, invoicePaid)).toBe(false);
    expect(matchesPattern({ detail: { data: { object: { customer: [{ exists: false }] } } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { absent: { customer: [{ exists: false }] } } }, invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { voided: [{ exists: true }] } } } }, invoicePaid)).toBe(true);
  });

  it('numeric compares numbers within ranges and ignores non-numbers', () => {
    const amount = (numeric: (string | number)[]) => ({ detail: { data: { object: { amount_paid: [{ numeric }] } } } });
    expect(matchesPattern(amount(['>', 0, '<=', 12_500]), invoicePaid)).toBe(true);
    expect(matchesPattern(amount(['>', 12_500]), invoicePaid)).toBe(false);
    expect(matchesPattern(amount(['=', 12_500]), invoicePaid)).toBe(true);
    expect(matchesPattern({ detail: { data: { object: { status: [{ numeric: ['>', 0] }] } } } }, invoicePaid)).toBe(false);
  });
});

describe('the manifest rule for paid invoices', () => {
  const [rule] = eventRules;
  const event = (source: string, detailType: string) => ({ ...invoicePaid, source, 'detail-type': detailType });

  it('matches invoice.paid from the webhook and from Stripe’s partner source only', () => {
    expect(matchesPattern(rule.pattern, event('carpark.stripe', 'invoice.paid'))).toBe(true);
    expect(matchesPattern(rule.pattern, event('aws.partner/stripe.com/ed_test_123', 'invoice.paid'))).toBe(true);
    expect(matchesPattern(rule.pattern, event('carpark.other', 'invoice.paid'))).toBe(false);
    expect(matchesPattern(rule.pattern, event('carpark.stripe', 'invoice.payment_failed'))).toBe(false);
  });
});

describe('invalid patterns', () => {
  it('rejects bare values, empty arrays, unknown operators and malformed numeric ranges', () => {
    const invalid: unknown[] = [
      { source: 'carpark.stripe' },
      { source: [] },
      {},
      { source: [{ suffix: '.stripe' }] },
      { source: [{ prefix: 'a', exists: true }] },
      { amount: [{ numeric: ['>', 'zero'] }] },
      { amount: [{ numeric: ['~', 1] }] },
      { source: [{ 'anything-but': [] }] },
      { source: [{ exists: 'yes' }] },
    ];
    for (const pattern of invalid) {
      expect(() => matchesPattern(pattern as EventPattern, invoicePaid), JSON.stringify(pattern)).toThrow(InvalidEventPatternError);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

type Scalar = string | number | boolean | null;
type Json = Scalar | Scalar[] | { [key: string]: Json };

const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 2 });
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
  fc.boolean(),
  fc.constant(null),
);
const { object: eventObject } = fc.letrec<{ object: { [key: string]: Json }; value: Json }>((tie) => ({
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }), tie('object')),
}));

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A pattern each of whose conditions is derived from the event's own values; `choices` picks the forms. */
function patternFrom(event: { [key: string]: Json }, choices: () => number): Record<string, unknown> | undefined {
  const pattern: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(event)) {
    if (choices() % 4 === 0) continue; // leave some fields out
    if (isObject(value)) {
      const nested = patternFrom(value, choices);
      if (nested) pattern[field] = nested;
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    const picked = values[choices() % values.length] as Scalar;
    pattern[field] = [conditionFor(picked, choices())];
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
}

function conditionFor(value: Scalar, choice: number): unknown {
  switch (choice % 5) {
    case 0:
      return { exists: true };
    case 1:
      if (typeof value === 'string') return { prefix: value.slice(0, choice % (value.length + 1)) };
      if (typeof value === 'number') return { numeric: ['>=', value, '<=', value] };
      return value;
    case 2:
      if (typeof value === 'string') return { 'anything-but': `${value}~` };
      if (typeof value === 'number' && value + 1 !== value) return { 'anything-but': [value + 1] };
      return value;
    default:
      return value;
  }
}

describe('matcher properties', () => {
  it('an event matches any pattern built from its own values', () => {
    fc.assert(
      fc.property(eventObject, fc.infiniteStream(fc.nat()), (event, stream) => {
        const iterator = stream[Symbol.iterator]();
        const pattern = patternFrom(event, () => iterator.next().value as number);
        fc.pre(pattern !== undefined);
        return matchesPattern(pattern as EventPattern, event);
      }),
      { numRuns: 300 },
    );
  });

  it('anything-but X never matches X, and matches any other value', () => {
    const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer());
    fc.assert(
      fc.property(value, value, fc.array(value, { maxLength: 3 }), (x, y, others) => {
        const event = { detail: { field: x } };
        expect(matchesPattern({ detail: { field: [{ 'anything-but': x }] } }, event)).toBe(false);
        expect(matchesPattern({ detail: { field: [{ 'anything-but': [...others, x] }] } }, event)).toBe(false);
        expect(matchesPattern({ detail: { field: [{ 'anything-but': y }] } }, event)).toBe(x !== y);
      }),
    );
  });

  it('exists: false matches exactly when the field is absent, and exists: true exactly when present', () => {
    fc.assert(
      fc.property(eventObject, key, (event, field) => {
        const value = Object.hasOwn(event, field) ? event[field] : undefined;
        const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
        expect(matchesPattern({ [field]: [{ exists: false }] }, event)).toBe(!present);
        expect(matchesPattern({ [field]: [{ exists: true }] }, event)).toBe(present);
      }),
    );
  });

  it('numeric ranges agree with plain comparisons', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), (a, b, x) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(matchesPattern({ n: [{ numeric: ['>', low, '<=', high] }] }, { n: x })).toBe(low < x && x <= high);
      }),
    );
  });

  it('prefix agrees with startsWith, and anything-but prefix is its negation', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 3 }), (value, prefix) => {
        expect(matchesPattern({ s: [{ prefix }] }, { s: value })).toBe(value.startsWith(prefix));
        expect(matchesPattern({ s: [{ 'anything-but': { prefix } }] }, { s: value })).toBe(!value.startsWith(prefix));
      }),
    );
  });
});
