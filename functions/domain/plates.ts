/**
 * Licence plate rules. A plate is stored and sent to the barrier system in one canonical form
 * (upper-case A–Z and 0–9, nothing else), because ANPR cameras read characters, not spacing:
 * "ab12 cde", "AB12-CDE" and "AB12CDE" are the same vehicle. The rules are documented in
 * docs/smartparking.md.
 */

/** Bounds of the general rule; recognised formats (e.g. Irish) may be longer. */
export const PLATE_LENGTH = { min: 2, max: 8 } as const;

export type PlateFormat =
  /** Current UK format (2001–): two letters, two digits, three letters — AB12CDE. */
  | 'uk-current'
  /** UK prefix (1983–2001): letter, 1–3 digits, three letters — A123BCD. */
  | 'uk-prefix'
  /** UK suffix (1963–1983): three letters, 1–3 digits, letter — ABC123D. */
  | 'uk-suffix'
  /** UK dateless and Northern Ireland: 1–3 letters and 1–4 digits, either way round — ABC1234, 1234AB. */
  | 'uk-dateless'
  /** Republic of Ireland: year (2–3 digits), county (1–2 letters), sequence (1–6 digits) — 241D12345. */
  | 'irish'
  /** Anything else passing the general rule: most EU and other foreign plates. */
  | 'other';

export type PlateProblem = 'empty' | 'not_normalised' | 'too_short' | 'too_long' | 'needs_letter' | 'needs_digit';

export type PlateValidation =
  | { readonly ok: true; readonly plate: string; readonly format: PlateFormat }
  | { readonly ok: false; readonly plate: string; readonly problem: PlateProblem; readonly message: string };

export interface LookAlikeWarning {
  /** 1-based position in the normalised plate. */
  readonly position: number;
  readonly character: string;
  /** The character it may have been mistaken for. */
  readonly alternative: string;
  /** e.g. "Check character 3: O (letter) or 0 (zero)?" */
  readonly message: string;
}

/**
 * The canonical form: accents folded to the base letter (ANPR reads "Ö" as "O"), upper case,
 * and everything but A–Z and 0–9 removed. Idempotent.
 */
export function normalisePlate(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

// Order matters only for the label: the first match names the format.
const FORMATS: ReadonlyArray<readonly [PlateFormat, RegExp]> = [
  ['uk-current', /^[A-Z]{2}[0-9]{2}[A-Z]{3}$/],
  ['uk-prefix', /^[A-Z][0-9]{1,3}[A-Z]{3}$/],
  ['uk-suffix', /^[A-Z]{3}[0-9]{1,3}[A-Z]$/],
  ['uk-dateless', /^(?:[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3})$/],
  // Two-digit year before 2013; since then the year plus a half-year digit (1 or 2).
  ['irish', /^[0-9]{2}[12]?[A-Z]{1,2}[0-9]{1,6}$/],
];

const MESSAGES: Record<PlateProblem, string> = {
  empty: "Enter the vehicle's registration number.",
  not_normalised: 'A registration may contain only the letters A–Z and the digits 0–9.',
  too_short: `A registration has at least ${PLATE_LENGTH.min} letters and numbers.`,
  too_long: `A registration has at most ${PLATE_LENGTH.max} letters and numbers.`,
  needs_letter: 'A registration includes at least one letter.',
  needs_digit: 'A registration includes at least one number.',
};

/**
 * Checks a normalised plate. UK and Irish formats are recognised by shape; any other plate must
 * be 2–8 characters with at least one letter and one digit — true of UK and EU plates, and it
 * turns away placeholders such as "TBC" or "NONE". Pass the output of `normalisePlate`.
 */
export function validatePlate(normalised: string): PlateValidation {
  const fail = (problem: PlateProblem): PlateValidation => ({ ok: false, plate: normalised, problem, message: MESSAGES[problem] });

  if (normalised === '') return fail('empty');
  if (!/^[A-Z0-9]+$/.test(normalised)) return fail('not_normalised');

  const known = FORMATS.find(([, pattern]) => pattern.test(normalised));
  if (known) return { ok: true, plate: normalised, format: known[0] };

  if (normalised.length < PLATE_LENGTH.min) return fail('too_short');
  if (normalised.length > PLATE_LENGTH.max) return fail('too_long');
  if (!/[A-Z]/.test(normalised)) return fail('needs_letter');
  if (!/[0-9]/.test(normalised)) return fail('needs_digit');
  return { ok: true, plate: normalised, format: 'other' };
}

/** Characters people (and cameras) confuse, each with how to say it unambiguously. */
const LOOK_ALIKES: Readonly<Record<string, { readonly alternative: string; readonly spoken: string }>> = {
  O: { alternative: '0', spoken: 'O (letter)' },
  '0': { alternative: 'O', spoken: '0 (zero)' },
  I: { alternative: '1', spoken: 'I (letter)' },
  '1': { alternative: 'I', spoken: '1 (one)' },
  S: { alternative: '5', spoken: 'S (letter)' },
  '5': { alternative: 'S', spoken: '5 (five)' },
  B: { alternative: '8', spoken: 'B (letter)' },
  '8': { alternative: 'B', spoken: '8 (eight)' },
};

/**
 * One warning per position holding a look-alike character (O/0, I/1, S/5, B/8), so the person
 * typing the plate can confirm it before the barrier refuses the car. Positions count in the
 * normalised plate; raw input is normalised first.
 */
export function lookAlikeWarnings(plate: string): LookAlikeWarning[] {
  const warnings: LookAlikeWarning[] = [];
  [...normalisePlate(plate)].forEach((character, index) => {
    const entry = LOOK_ALIKES[character];
    if (!entry) return;
    const other = LOOK_ALIKES[entry.alternative];
    warnings.push({
      position: index + 1,
      character,
      alternative: entry.alternative,
      message: `Check character ${index + 1}: ${entry.spoken} or ${other?.spoken ?? entry.alternative}?`,
    });
  });
  return warnings;
}

/** Each look-alike pair folds onto its digit: O→0, I→1, S→5, B→8. */
const FOLDS: Readonly<Record<string, string>> = { O: '0', I: '1', S: '5', B: '8' };

/**
 * The plate's look-alike key: normalised, then each letter of a look-alike pair replaced by its
 * digit, so "SO51 BIO", "5051 8I0" and "s0s1b10" share one key. Plates a person (or a camera) may
 * have read for each other fold to the same key; different plates may too (the look-up shows
 * each tenancy's exact plate). Idempotent.
 */
export function foldLookAlikes(plate: string): string {
  return [...normalisePlate(plate)].map((character) => FOLDS[character] ?? character).join('');
}
