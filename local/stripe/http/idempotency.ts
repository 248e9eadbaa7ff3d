import type { Json, JsonObject } from '../types';
import { isObject } from '../types';

export interface StoredResponse {
  status: number;
  body: JsonObject;
  /** Request that produced it (the `Original-Request` header on replays). */
  requestId: string;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  response: StoredResponse | null; // null while the first request is still running
}

export type IdempotencyLookup =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** Stripe keeps keys for at least 24 hours. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency keys for POST requests. A key is claimed when a request starts; the response is
 * stored only once the endpoint has actually executed (Stripe does not save validation failures
 * or requests refused before execution, so those can be retried with the same key).
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly nowMs: () => number) {}

  begin(key: string, fingerprint: string): IdempotencyLookup {
    this.prune();
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint, createdAt: this.nowMs(), response: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.response) return { kind: 'in_flight' };
    return { kind: 'replay', response: entry.response };
  }

  complete(key: string, response: StoredResponse): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = response;
  }

  /** Forget a claim whose request did not execute, so the key can be used again. */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry && !entry.response) this.entries.delete(key);
  }

  toJSON(): Json {
    const out: JsonObject = {};
    for (const [k, e] of this.entries) {
      if (e.response) out[k] = { fingerprint: e.fingerprint, createdAt: e.createdAt, status: e.response.status, body: e.response.body, requestId: e.response.requestId };
    }
    return out;
  }

  load(data: Json): void {
    if (!isObject(data)) return;
    for (const [k, v] of Object.entries(data)) {
      if (!isObject(v) || !isObject(v.body)) continue;
      this.entries.set(k, {
        fingerprint: String(v.fingerprint),
        createdAt: Number(v.createdAt),
        response: { status: Number(v.status), body: v.body, requestId: String(v.requestId ?? '') },
      });
    }
  }

  private prune(): void {
    const cutoff = this.nowMs() - RETENTION_MS;
    for (const [k, e] of this.entries) if (e.response && e.createdAt < cutoff) this.entries.delete(k);
  }
}

/** Parameters compared for "same request": method, path and the decoded parameters in key order. */
export function fingerprint(method: string, path: string, params: Json): string {
  return `${method} ${path} ${stableStringify(params)}`;
}

function stableStringify(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
