import { invalidRequest, missingParam, unknownParam } from './http/errors';
import type { JsonObject, ParamValue, Params } from './types';

/** Typed readers over decoded request parameters, raising Stripe's own validation errors. */

export function optString(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${name}`, { param: name });
  return v;
}

export function reqString(params: Params, name: string, prefix = ''): string {
  const v = optString(params, name);
  if (v === undefined || v === '') throw missingParam(prefix + name);
  return v;
}

/** Nullable string: '' means "unset" (null), absent means "leave as is" (undefined). */
export function optNullableString(params: Params, name: string): string | null | undefined {
  const v = optString(params, name);
  if (v === undefined) return undefined;
  return v === '' ? null : v;
}

export function optInt(params: Params, name: string, prefix = ''): number | undefined {
  const v = optString(params, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) {
    throw invalidRequest(`Invalid integer: ${v}`, { code: 'parameter_invalid_integer', param: prefix + name });
  }
  return Number(v);
}

export function optNonNegativeInt(params: Params, name: string, prefix = ''): number | undefined {
  const n = optInt(params, name, prefix);
  if (n !== undefined && n < 0) {
    throw invalidRequest(`This value must be greater than or equal to 0.`, { param: prefix + name });
  }
  return n;
}

export function optBool(params: Params, name: string): boolean | undefined {
  const v = optString(params, name);
  if (v === undefined || v === '') return undefined;
  if (v !== 'true' && v !== 'false') throw invalidRequest(`Invalid boolean: ${v}`, { param: name });
  return v === 'true';
}

export function optEnum<T extends string>(params: Params, name: string, allowed: readonly T[], prefix = ''): T | undefined {
  const v = optString(params, name);
  if (v === undefined || v === '') return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalidRequest(`Invalid ${prefix + name}: must be one of ${allowed.join(', ')}`, { param: prefix + name });
  }
  return v as T;
}

export function optObject(params: Params, name: string): Params | undefined {
  const v = params[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' || Array.isArray(v)) throw invalidRequest(`Invalid object`, { param: name });
  return v;
}

export function optArray(params: Params, name: string): ParamValue[] | undefined {
  const v = params[name];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) return v;
  // A single-element array encoded as a map with one index, or a lone value.
  if (typeof v === 'string') return [v];
  throw invalidRequest(`Invalid array`, { param: name });
}

export function optStringArray(params: Params, name: string): string[] | undefined {
  const arr = optArray(params, name);
  if (arr === undefined) return undefined;
  return arr.map((v, i) => {
    if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${name}[${i}]`, { param: `${name}[${i}]` });
    return v;
  });
}

export function objectArray(params: Params, name: string): Params[] {
  const arr = optArray(params, name) ?? [];
  return arr.map((v, i) => {
    if (typeof v === 'string' || Array.isArray(v)) throw invalidRequest(`Invalid object`, { param: `${name}[${i}]` });
    return v;
  });
}

/** Metadata semantics: `metadata=''` clears all keys, `metadata[k]=''` removes one key, others set. */
export function applyMetadata(current: JsonObject, params: Params, name = 'metadata'): JsonObject {
  const v = params[name];
  if (v === undefined) return current;
  if (v === '') return {};
  if (typeof v === 'string' || Array.isArray(v)) throw invalidRequest('Invalid metadata', { param: name });
  const next: JsonObject = { ...current };
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalidRequest(`Invalid metadata value for ${k}`, { param: `${name}[${k}]` });
    if (value === '') delete next[k];
    else next[k] = value;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('Metadata can have at most 50 keys.', { param: name });
  return next;
}

/** Real Stripe parameters this stand-in does not implement: refused with a clear message rather than ignored. */
const UNSUPPORTED = new Set([
  'add_invoice_items', 'application_fee_percent', 'automatic_tax', 'backdate_start_date', 'billing_cycle_anchor_config', 'billing_mode',
  'billing_schedules', 'billing_thresholds', 'cash_balance', 'confirmation_token', 'coupon', 'currency_options', 'current_trial',
  'customer_account', 'days_until_due', 'default_source', 'default_tax_rates', 'discounts', 'on_behalf_of', 'pause_collection',
  'payment_method_configuration', 'payment_method_data', 'pending_invoice_item_interval', 'plan', 'price_data', 'promotion_code',
  'tax_details', 'tax_rates', 'tiers', 'tiers_mode', 'transfer_data', 'transform_quantity', 'trial_end', 'trial_from_plan',
  'trial_period_days', 'trial_settings',
]);

/** Stripe rejects parameters it does not know; so do we, at the top level, to catch integration typos. */
export function rejectUnknown(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key === 'expand' || allowed.includes(key)) continue;
    if (UNSUPPORTED.has(key)) throw invalidRequest(`The parameter ${key} is not supported by the local Stripe stand-in.`, { param: key });
    throw unknownParam(key);
  }
}

export function expandPaths(params: Params): string[] {
  return optStringArray(params, 'expand') ?? [];
}

/** Real Stripe parameters an endpoint declares but the stand-in does not implement: refused by name. */
export function refuseUnsupported(params: Params, names: readonly string[]): void {
  for (const key of names) {
    if (params[key] !== undefined) throw invalidRequest(`The parameter ${key} is not supported by the local Stripe stand-in.`, { param: key });
  }
}
