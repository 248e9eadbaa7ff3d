import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookAlikeWarnings, normalisePlate, validatePlate } from '../../functions/domain/plates';
import { claimedPlates, platesOf, platesOnRecord, removedStillOpen } from '../../functions/domain/tenancies';

const ALPHANUMERIC = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const canonicalPlate = fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 1, maxLength: 10 });
const separator = fc.constantFrom(' ', '  ', '-', '.', '·', '\t', '_', '/', '\u00a0');

/** The same plate as someone might type it: any case, separators anywhere. */
const typedVariant = (plate: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: plate.length, maxLength: plate.length }),
      fc.array(fc.option(separator, { nil: '' }), { minLength: plate.length + 1, maxLength: plate.length + 1 }),
    )
    .map(([lower, gaps]) => [...plate].map((c, i) => `${gaps[i]}${lower[i] ? c.toLowerCase() : c}`).join('') + gaps[plate.length]);

describe('normalising a plate', () => {
  it('upper-cases and drops spaces and punctuation', () => {
    expect(normalisePlate(' ab12 cde ')).toBe('AB12CDE');
    expect(normalisePlate('AB-123-CD')).toBe('AB123CD');
    expect(normalisePlate('m·ab 123e')).toBe('MAB123E');
  });

  it('folds accented letters to their base letter, as ANPR reads them', () => {
    expect(normalisePlate('KÖ AB 12')).toBe('KOAB12');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (raw) => normalisePlate(normalisePlate(raw)) === normalisePlate(raw)));
  });

  it('leaves only A–Z and 0–9, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (raw) => /^[A-Z0-9]*$/.test(normalisePlate(raw))));
  });

  it('maps every spacing, punctuation and case variant of a plate to the same value', () => {
    fc.assert(
      fc.property(
        canonicalPlate.chain((plate) => fc.tuple(fc.constant(plate), typedVariant(plate), typedVariant(plate))),
        ([plate, typedOnce, typedAgain]) => {
          expect(normalisePlate(typedOnce)).toBe(plate);
          expect(normalisePlate(typedOnce)).toBe(normalisePlate(typedAgain));
        },
      ),
    );
  });
});

describe('validating a plate', () => {
  it.each([
    ['AB12CDE', 'uk-current'],
    ['A123BCD', 'uk-prefix'],
    ['ABC123D', 'uk-suffix'],
    ['ABC1234', 'uk-dateless'],
    ['1234AB', 'uk-dateless'],
    ['K1', 'uk-dateless'],
    ['241D12345', 'irish'],
    ['06D1234', 'irish'],
    ['AB123CD', 'other'],
    ['MAB1234E', 'other'],
    ['1234BCD', 'uk-dateless'],
    ['WPI12345', 'other'],
  ] as const)('accepts %s as %s', (plate, format) => {
    expect(validatePlate(plate)).toEqual({ ok: true, plate, format });
  });

  it.each([
    ['', 'empty'],
    ['ab12cde', 'not_normalised'],
    ['AB12 CDE', 'not_normalised'],
    ['7', 'too_short'],
    ['AB12CDEFG', 'too_long'],
    ['12345678', 'needs_letter'],
    ['NONE', 'needs_digit'],
    ['TBC', 'needs_digit'],
  ] as const)('rejects "%s" as %s, with a message to show', (plate, problem) => {
    const result = validatePlate(plate);
    expect(result).toMatchObject({ ok: false, plate, problem });
    expect(result.ok === false && result.message.length > 0).toBe(true);
  });

  it('accepts Irish plates longer than the general limit', () => {
    expect(validatePlate('131D123456')).toMatchObject({ ok: true, format: 'irish' });
  });

  it('accepts every normalised plate of 2–8 characters holding a letter and a digit', () => {
    const plate = fc
      .tuple(canonicalPlate, fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.constantFrom(...'0123456789'))
      .map(([rest, letter, digit]) => `${letter}${digit}${rest}`.slice(0, 8));
    fc.assert(fc.property(plate, (p) => validatePlate(p).ok));
  });
});

describe('look-alike warnings', () => {
  it('names the position and both readings of each ambiguous character', () => {
    expect(lookAlikeWarnings('AO51XYZ')).toEqual([
      { position: 2, character: 'O', alternative: '0', message: 'Check character 2: O (letter) or 0 (zero)?' },
      { position: 3, character: '5', alternative: 'S', message: 'Check character 3: 5 (five) or S (letter)?' },
      { position: 4, character: '1', alternative: 'I', message: 'Check character 4: 1 (one) or I (letter)?' },
    ]);
  });

  it('covers O/0, I/1, S/5 and B/8 in both directions', () => {
    expect(lookAlikeWarnings('O0I1S5B8').map((w) => `${w.character}${w.alternative}`)).toEqual([
      'O0',
      '0O',
      'I1',
      '1I',
      'S5',
      '5S',
      'B8',
      '8B',
    ]);
  });

  it('says nothing about a plate without look-alikes', () => {
    expect(lookAlikeWarnings('HX72 KTY')).toEqual([]);
  });

  it('counts positions in the normalised plate, not in what was typed', () => {
    expect(lookAlikeWarnings('ab 12 cde').map((w) => w.position)).toEqual([2, 3]);
  });
});

describe('the plates of a tenancy', () => {
  const tenancy = {
    plate: 'AB12CDE',
    extraPlates: ['FG34HIJ'],
    pendingPlate: 'KL56MNO',
    retiredPlates: [
      { plate: 'PQ78RST', until: '2026-12-31T00:00:00.000Z' },
      { plate: 'UV90WXY', until: '2026-11-30T00:00:00.000Z' },
    ],
  };

  it('holds its own plates first plate first, and claims one being added or changed to beside them', () => {
    expect(platesOf(tenancy)).toEqual(['AB12CDE', 'FG34HIJ']);
    expect(platesOf({ plate: 'AB12CDE' })).toEqual(['AB12CDE']);
    expect(claimedPlates(tenancy)).toEqual(['AB12CDE', 'FG34HIJ', 'KL56MNO']);
  });

  it('keeps a removed plate on the whitelist only until its paid period ends', () => {
    expect(removedStillOpen(tenancy, new Date('2026-12-15T00:00:00Z')).map((r) => r.plate)).toEqual(['PQ78RST']);
    expect(removedStillOpen(tenancy, new Date('2026-12-31T00:00:00Z'))).toEqual([]);
  });

  it('answers a look-up for every plate it has had and not yet seen revoked, each once', () => {
    expect(platesOnRecord({ ...tenancy, retiredPlates: [...tenancy.retiredPlates, { plate: 'FG34HIJ', until: '2026-12-31T00:00:00.000Z' }] })).toEqual([
      'AB12CDE',
      'FG34HIJ',
      'KL56MNO',
      'PQ78RST',
      'UV90WXY',
    ]);
  });
});
