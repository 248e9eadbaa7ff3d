/**
 * The data boundary: every item read from the table is parsed by its entity's zod schema before
 * the domain sees it. A stored item that does not match (a hand edit, a half-migrated shape, a
 * bug in a writer) is an internal error naming the item's keys and the failing fields — never a
 * silently cast object that fails somewhere far away.
 *
 * Each entity module also asserts at compile time that its schema's output is exactly its domain
 * type (`sameShape`), so a field added to a domain type breaks `tsc` until the schema knows it,
 * instead of being stripped by zod on the way in.
 */
import type * as z from 'zod/mini';
import '../../../zod-messages';
import { logger } from '../../../http/logger';
import { tableSchema } from '../table-schema';

/** Attributes that belong to the table's bookkeeping, not to the domain object. */
const BOOKKEEPING = new Set<string>([
  tableSchema.partitionKey,
  tableSchema.sortKey,
  tableSchema.timeToLiveAttribute,
  'type',
  ...tableSchema.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
]);

export type StoredItem = Record<string, unknown>;

/** A stored item its entity's schema refuses. Not a domain error: the caller sees a 500, the log the details. */
export class CorruptItemError extends Error {
  constructor(
    readonly entity: string,
    readonly key: { pk?: unknown; sk?: unknown },
    readonly fields: readonly { path: string; message: string }[],
  ) {
    super(
      `Stored ${entity} item pk=${String(key.pk)} sk=${String(key.sk)} does not match its schema: ` +
        fields.map((f) => `${f.path || '(item)'}: ${f.message}`).join('; '),
    );
    this.name = 'CorruptItemError';
  }
}

/** An entity as stored: its name (the `type` attribute) and the schema of its domain object. */
export interface EntitySchema<T> {
  readonly type: string;
  readonly schema: z.ZodMiniType<T>;
}

/** The domain object a schema builder's schema parses to. */
export type Built<Build extends () => z.ZodMiniType> = z.output<ReturnType<Build>>;

/**
 * The schema is built on first use, not when the module loads: every function bundles every
 * entity, and building them all cost each cold start about 15 ms for the one or two it reads.
 */
export function defineEntity<T>(type: string, build: () => z.ZodMiniType<T>): EntitySchema<T> {
  let schema: z.ZodMiniType<T> | undefined;
  return {
    type,
    get schema() {
      return (schema ??= build());
    },
  };
}

/** The attributes an entity's (object) schema reads: a projection that leaves none of them out. */
export function attributesOf(entity: EntitySchema<unknown>): string[] {
  const { shape } = entity.schema as unknown as { shape?: Record<string, unknown> };
  if (!shape) throw new Error(`The ${entity.type} schema is not an object: its attributes are unknown`);
  return Object.keys(shape);
}

/**
 * The domain object stored in an item: the item minus keys, index keys, type and TTL, parsed by
 * the entity's schema. Throws (and logs) CorruptItemError naming the keys and the field paths;
 * the values themselves are never logged (an item may hold a password hash).
 */
export function parseItem<T>(entity: EntitySchema<T>, stored: StoredItem): T {
  const body = Object.fromEntries(Object.entries(stored).filter(([name]) => !BOOKKEEPING.has(name)));
  const result = entity.schema.safeParse(body);
  if (result.success) return result.data;
  const key = { pk: stored[tableSchema.partitionKey], sk: stored[tableSchema.sortKey] };
  const fields = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const error = new CorruptItemError(entity.type, key, fields);
  logger.error('Corrupt item in the table', { entity: entity.type, key, fields });
  throw error;
}

/** parseItem for an optional read (a get that may find nothing). */
export const parseOptional = <T>(entity: EntitySchema<T>, stored: StoredItem | undefined): T | undefined =>
  stored ? parseItem(entity, stored) : undefined;

// --- compile-time shape checks -------------------------------------------------------------------

type DeepMutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/** Exactly the same type (not merely assignable: an extra optional field on either side differs). */
export type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** Same fields and types, readonly-ness aside (domain types are readonly, zod's output is not). */
export type SameShape<A, B> = Equals<DeepMutable<A>, DeepMutable<B>>;

/** `sameShape<SameShape<z.output<typeof schema>, Domain>>()` fails `tsc` unless they match. */
export function sameShape<_Matches extends true>(): void {}
