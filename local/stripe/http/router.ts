import type { App, Op } from '../app';
import { rejectUnknown } from '../params';
import type { JsonObject, Params } from '../types';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RequestContext {
  app: App;
  op: Op;
  method: Method;
  params: Params;
  /** Values of `:name` segments in the route pattern. */
  path: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => JsonObject;

export interface Route {
  method: Method;
  pattern: string;
  /** Top-level parameters the endpoint accepts (`expand` always is); anything else is refused like Stripe does. */
  params: readonly string[];
  handler: Handler;
}

export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before'] as const;

interface Compiled {
  route: Route;
  segments: string[];
}

export type Match = { route: Route; path: Record<string, string> } | { methodNotAllowed: true } | null;

export class Router {
  private readonly routes: Compiled[] = [];

  add(routes: Route[]): this {
    for (const route of routes) this.routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
    return this;
  }

  match(method: string, pathname: string): Match {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let pathMatched = false;
    // Literal segments win over parameters (`/v1/invoices/create_preview` before `/v1/invoices/:id`).
    const candidates = this.routes
      .map((c) => ({ c, path: matchSegments(c.segments, parts) }))
      .filter((m): m is { c: Compiled; path: Record<string, string> } => m.path !== null)
      .sort((a, b) => Object.keys(a.path).length - Object.keys(b.path).length);
    for (const { c, path } of candidates) {
      pathMatched = true;
      if (c.route.method === method) return { route: c.route, path };
    }
    return pathMatched ? { methodNotAllowed: true } : null;
  }

  static run(route: Route, ctx: RequestContext): JsonObject {
    rejectUnknown(ctx.params, route.params);
    return route.handler(ctx);
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) out[p.slice(1)] = v;
    else if (p !== v) return null;
  }
  return out;
}
