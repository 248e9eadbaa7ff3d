/** JSON values as they travel over the wire and sit in the store. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Request parameters after form decoding: strings, nested objects and arrays. */
export type ParamValue = string | ParamValue[] | Params;
export interface Params {
  [key: string]: ParamValue;
}

/** Kinds of objects the stand-in stores, keyed by their Stripe `object` name. */
export type Kind =
  | 'customer'
  | 'payment_method'
  | 'setup_intent'
  | 'product'
  | 'price'
  | 'subscription'
  | 'subscription_item'
  | 'invoice'
  | 'invoiceitem'
  | 'test_helpers.test_clock'
  | 'event'
  | 'webhook_endpoint'
  | 'payment_intent';

/** Who caused an event: an API request (with its idempotency key) or Stripe itself (null). */
export interface RequestOrigin {
  id: string | null;
  idempotency_key: string | null;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
