import type { ParamValue, Params } from '../types';
import { invalidRequest } from './errors';

/**
 * Decodes Stripe's bracketed form encoding (`items[0][price]=p&expand[]=x&metadata[k]=v`) into
 * nested objects and arrays. An empty value is kept as '' because Stripe uses it to unset a field.
 */
export function decodeForm(body: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    assign(root, path, value, rawKey);
  }
  return arrayify(root, '') as Params;
}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(first))) !== null) parts.push(m[1] ?? '');
  return parts;
}

function assign(target: Params, path: string[], value: string, rawKey: string): void {
  let node: Params = target;
  for (let i = 0; i < path.length; i += 1) {
    let segment = path[i] ?? '';
    const last = i === path.length - 1;
    if (segment === '') segment = String(Object.keys(node).length); // `a[]` appends
    if (last) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const created: Params = {};
      node[segment] = created;
      node = created;
    } else if (typeof next === 'string' || Array.isArray(next)) {
      throw invalidRequest(`Invalid parameter structure at ${rawKey}`, { param: rawKey });
    } else {
      node = next;
    }
  }
}

/** Objects whose keys are all array indices become arrays (never under `metadata`, whose keys are free-form). */
function arrayify(value: ParamValue, key: string): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const out: Params = {};
  for (const k of keys) out[k] = arrayify(value[k] as ParamValue, k);
  if (key !== 'metadata' && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => out[String(i)] as ParamValue);
  }
  return out;
}

/** JSON bodies are accepted too (scripts and curl); scalars are turned into strings like the form encoding would. */
export function paramsFromJson(value: unknown): Params {
  const convert = (v: unknown): ParamValue => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === 'object') {
      const out: Params = {};
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) out[k] = convert(inner);
      return out;
    }
    return String(v);
  };
  const converted = convert(value);
  if (typeof converted === 'string' || Array.isArray(converted)) throw invalidRequest('Request body must be an object.');
  return converted;
}
