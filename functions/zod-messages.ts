/**
 * English messages for zod/mini, which (unlike classic zod) sets no locale of its own: without
 * this every issue would read "Invalid input". Imported by each module that validates with
 * zod/mini, so no entry point can miss it.
 *
 * What people type most often gets wrong (an empty field, too long, too small a number) reads
 * as a sentence they can act on; a schema's own message still wins, and anything else is
 * zod's English locale.
 */
import { config, type core } from 'zod/mini';
import { en } from 'zod/locales';

const LENGTHS = new Set(['string', 'array', 'set']);
const unit = (origin: string, n: number | bigint) => (origin === 'string' ? (Number(n) === 1 ? 'character' : 'characters') : Number(n) === 1 ? 'item' : 'items');

/** Plain words for a length or a range, the issue's own limit in them; undefined for the locale's. */
export function plainMessage(issue: core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required.';
  if (issue.code === 'too_small') {
    const { origin, minimum } = issue as core.$ZodRawIssue<core.$ZodIssueTooSmall>;
    if (origin === 'string' && Number(minimum) === 1) return 'Required.';
    if (LENGTHS.has(origin)) return `Use at least ${minimum} ${unit(origin, minimum)}.`;
    if (origin === 'number' || origin === 'int') return `${issue.inclusive === false ? 'More than' : 'At least'} ${minimum}.`;
  }
  if (issue.code === 'too_big') {
    const { origin, maximum } = issue as core.$ZodRawIssue<core.$ZodIssueTooBig>;
    if (LENGTHS.has(origin)) return `Use at most ${maximum} ${unit(origin, maximum)}.`;
    if (origin === 'number' || origin === 'int') return `${issue.inclusive === false ? 'Less than' : 'At most'} ${maximum}.`;
  }
  return undefined;
}

config({ ...en(), customError: plainMessage });
