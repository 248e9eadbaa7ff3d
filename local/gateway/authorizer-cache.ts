/**
 * HTTP API caches a Lambda authorizer's answer (allow and deny alike) per identity-source value
 * for the authorizer's TTL, so a handler may see an identity the authorizer no longer would.
 */

export interface AuthorizerDecision {
  readonly isAuthorized: boolean;
  readonly context?: Record<string, unknown>;
}

export interface AuthorizerCache {
  get(identity: readonly string[]): AuthorizerDecision | undefined;
  set(identity: readonly string[], decision: AuthorizerDecision): void;
}

export function createAuthorizerCache(ttlSeconds: number, now: () => number): AuthorizerCache {
  const entries = new Map<string, { decision: AuthorizerDecision; expiresAt: number }>();
  const keyOf = (identity: readonly string[]) => JSON.stringify(identity);
  return {
    get(identity) {
      const key = keyOf(identity);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() < entry.expiresAt) return entry.decision;
      entries.delete(key);
      return undefined;
    },
    set(identity, decision) {
      if (ttlSeconds > 0) entries.set(keyOf(identity), { decision, expiresAt: now() + ttlSeconds * 1000 });
    },
  };
}

/** A simple-response authorizer result, or undefined when it is malformed (API Gateway answers 500). */
export function parseAuthorizerDecision(result: unknown): AuthorizerDecision | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { isAuthorized, context } = result as Record<string, unknown>;
  if (typeof isAuthorized !== 'boolean') return undefined;
  if (context === undefined || context === null) return { isAuthorized };
  if (typeof context !== 'object' || Array.isArray(context)) return undefined;
  return { isAuthorized, context: JSON.parse(JSON.stringify(context)) as Record<string, unknown> };
}
