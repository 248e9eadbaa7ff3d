import { randomBytes } from 'node:crypto';
import { resourceMissing } from './http/errors';
import type { Json, JsonObject, Kind } from './types';
import { clone, isObject } from './types';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Id prefixes and random-part lengths as Stripe uses them (`cus_` + 14, `sub_` + 24, ...). */
const ID_FORMATS: Record<Kind, [string, number]> = {
  customer: ['cus_', 14],
  payment_method: ['pm_', 24],
  setup_intent: ['seti_', 24],
  product: ['prod_', 14],
  price: ['price_', 24],
  subscription: ['sub_', 24],
  subscription_item: ['si_', 14],
  invoice: ['in_', 24],
  invoiceitem: ['ii_', 24],
  'test_helpers.test_clock': ['clock_', 24],
  event: ['evt_', 24],
  webhook_endpoint: ['we_', 24],
  payment_intent: ['pi_', 24],
};

/** Human nouns Stripe uses in "No such ..." messages. */
export const NOUNS: Record<Kind, string> = {
  customer: 'customer',
  payment_method: 'PaymentMethod',
  setup_intent: 'setupintent',
  product: 'product',
  price: 'price',
  subscription: 'subscription',
  subscription_item: 'subscription_item',
  invoice: 'invoice',
  invoiceitem: 'invoiceitem',
  'test_helpers.test_clock': 'test_clock',
  event: 'event',
  webhook_endpoint: 'webhook_endpoint',
  payment_intent: 'payment_intent',
};

/**
 * Stored records are Stripe-shaped objects plus internal bookkeeping under keys starting with `__`
 * (stripped before anything leaves the server). Maps keep insertion order, which is creation order.
 */
export type Rec = JsonObject;

export const KINDS = Object.keys(ID_FORMATS) as Kind[];

export class Store {
  private readonly tables = new Map<Kind, Map<string, Rec>>(KINDS.map((k) => [k, new Map()]));
  private seq = 0;

  newId(kind: Kind): string {
    const [prefix, length] = ID_FORMATS[kind];
    return prefix + randomToken(length);
  }

  insert(kind: Kind, rec: Rec): Rec {
    const id = rec.id;
    if (typeof id !== 'string') throw new Error(`record without id (${kind})`);
    this.seq += 1;
    rec.__seq = this.seq;
    this.table(kind).set(id, rec);
    return rec;
  }

  get(kind: Kind, id: string): Rec | undefined {
    return this.table(kind).get(id);
  }

  /** The record, or Stripe's 404 `resource_missing` naming the parameter that carried the id. */
  require(kind: Kind, id: string, param = 'id'): Rec {
    const rec = this.get(kind, id);
    if (!rec) throw resourceMissing(NOUNS[kind], id, param);
    return rec;
  }

  delete(kind: Kind, id: string): void {
    this.table(kind).delete(id);
  }

  /** All records of a kind in creation order (oldest first). */
  all(kind: Kind): Rec[] {
    return [...this.table(kind).values()];
  }

  count(kind: Kind): number {
    return this.table(kind).size;
  }

  /** Finds an object by id in any table (for `expand`), returning its kind too. */
  find(id: string): { kind: Kind; rec: Rec } | undefined {
    for (const kind of KINDS) {
      const rec = this.table(kind).get(id);
      if (rec) return { kind, rec };
    }
    return undefined;
  }

  toJSON(): JsonObject {
    const tables: JsonObject = {};
    for (const kind of KINDS) tables[kind] = this.all(kind);
    return { seq: this.seq, tables };
  }

  load(data: Json): void {
    if (!isObject(data) || !isObject(data.tables)) return;
    this.seq = typeof data.seq === 'number' ? data.seq : 0;
    for (const kind of KINDS) {
      const rows = data.tables[kind];
      const table = this.table(kind);
      table.clear();
      if (!Array.isArray(rows)) continue;
      for (const row of rows) if (isObject(row) && typeof row.id === 'string') table.set(row.id, row);
    }
  }

  private table(kind: Kind): Map<string, Rec> {
    const t = this.tables.get(kind);
    if (!t) throw new Error(`unknown kind ${kind}`);
    return t;
  }
}

/** A deep copy without internal `__` keys (top level only: internals never nest). */
export function publicView(rec: Rec): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rec)) if (!k.startsWith('__')) out[k] = clone(v);
  return out;
}
