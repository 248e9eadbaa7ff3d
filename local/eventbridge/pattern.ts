/**
 * EventBridge event-pattern matching for the subset the platform's rules use: exact values (OR
 * within a field's array, AND across fields), nested objects, `prefix`, `anything-but` (a value, a
 * list of values, or `{ prefix }`), `exists` and `numeric`. An array in the event matches when any
 * of its elements matches; an empty array holds no values, so it counts as absent (as AWS's
 * event-ruler flattens it). Operators beyond these (suffix, wildcard, cidr, $or, ...) are rejected
 * loudly rather than silently mismatched.
 */
import type { EventPattern } from '../../functions/events';

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(`Event pattern is not valid. Reason: ${message}`);
    this.name = 'InvalidEventPatternError';
  }
}

type Leaf = string | number | boolean | null;
type NumericOperator = '=' | '<' | '<=' | '>' | '>=';
const NUMERIC_OPERATORS: readonly string[] = ['=', '<', '<=', '>', '>='];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isLeaf = (value: unknown): value is Leaf =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Throws InvalidEventPatternError unless the pattern uses only the supported features, well formed. */
export function assertValidPattern(pattern: unknown, path = ''): asserts pattern is EventPattern {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError(`${path || 'pattern'} must be an object`);
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new InvalidEventPatternError(`${path || 'pattern'} must not be empty`);
  for (const key of keys) {
    const at = path ? `${path}.${key}` : key;
    const value = pattern[key];
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`${at}: empty arrays are not allowed`);
      value.forEach((condition) => assertValidCondition(condition, at));
    } else if (isPlainObject(value)) {
      assertValidPattern(value, at);
    } else {
      throw new InvalidEventPatternError(`${at}: ${JSON.stringify(value)} must be an object or an array`);
    }
  }
}

function assertValidCondition(condition: unknown, at: string): void {
  if (isLeaf(condition)) return;
  if (!isPlainObject(condition)) throw new InvalidEventPatternError(`${at}: ${JSON.stringify(condition)} is not a value or an operator`);
  const keys = Object.keys(condition);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) throw new InvalidEventPatternError(`${at}: an operator object has exactly one key`);
  const operand = condition[operator];
  switch (operator) {
    case 'prefix':
      if (typeof operand !== 'string') throw new InvalidEventPatternError(`${at}: prefix must be a string`);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError(`${at}: exists must be true or false`);
      return;
    case 'anything-but':
      assertValidAnythingBut(operand, at);
      return;
    case 'numeric':
      parseNumeric(operand, at);
      return;
    default:
      throw new InvalidEventPatternError(`${at}: operator "${operator}" is not supported by the local matcher`);
  }
}

function assertValidAnythingBut(operand: unknown, at: string): void {
  const scalar = (value: unknown) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (scalar(operand)) return;
  if (Array.isArray(operand) && operand.length > 0 && operand.every(scalar)) return;
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand.prefix === 'string') return;
  throw new InvalidEventPatternError(`${at}: anything-but takes a string, a number, a non-empty list of them, or { prefix }`);
}

function parseNumeric(operand: unknown, at: string): [NumericOperator, number][] {
  const bad = () => new InvalidEventPatternError(`${at}: numeric takes pairs of operator and number, e.g. [">", 0, "<=", 5]`);
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) throw bad();
  const comparisons: [NumericOperator, number][] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const operator: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) throw bad();
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw bad();
    comparisons.push([operator as NumericOperator, bound]);
  }
  return comparisons;
}

/** Whether an event (any JSON value; normally an EventBridge event) matches the pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  assertValidPattern(pattern);
  return matchObject(pattern, event);
}

function matchObject(pattern: Readonly<Record<string, unknown>>, value: unknown): boolean {
  const object = isPlainObject(value) ? value : {};
  return Object.entries(pattern).every(([key, sub]) => {
    const field = Object.hasOwn(object, key) ? object[key] : undefined;
    if (Array.isArray(sub)) return matchField(sub, field);
    // Nested pattern: matched against the object (or any object in an array); a missing or
    // non-object field has no sub-fields, so only `exists: false` conditions can match inside it.
    const candidates = (Array.isArray(field) ? field : [field]).filter(isPlainObject);
    if (candidates.length === 0) return matchObject(sub as Record<string, unknown>, {});
    return candidates.some((candidate) => matchObject(sub as Record<string, unknown>, candidate));
  });
}

function matchField(conditions: readonly unknown[], field: unknown): boolean {
  const values = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const present = values.length > 0;
  return conditions.some((condition) => {
    if (isPlainObject(condition) && 'exists' in condition) return condition.exists === present;
    return values.some((value) => matchValue(condition, value));
  });
}

function matchValue(condition: unknown, value: unknown): boolean {
  if (!isLeaf(value)) return false;
  if (isLeaf(condition)) return condition === value;
  const [[operator, operand]] = Object.entries(condition as Record<string, unknown>) as [[string, unknown]];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(operand as string);
    case 'anything-but':
      if (isPlainObject(operand)) return !(typeof value === 'string' && value.startsWith(operand.prefix as string));
      return Array.isArray(operand) ? !operand.includes(value) : operand !== value;
    case 'numeric':
      return typeof value === 'number' && parseNumeric(operand, '').every(([op, bound]) => compare(value, op, bound));
    default:
      return false;
  }
}

function compare(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}
