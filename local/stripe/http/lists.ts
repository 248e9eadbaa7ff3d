import type { App } from '../app';
import { optInt, optString } from '../params';
import type { Rec } from '../store';
import { NOUNS } from '../store';
import type { JsonObject, Kind, Params } from '../types';
import { invalidRequest, resourceMissing } from './errors';

/**
 * Stripe's cursor pagination over records already filtered and sorted newest first:
 * `limit` (1..100, default 10), `starting_after` / `ending_before` object ids, `has_more`.
 */
export function paginate(app: App, kind: Kind, newestFirst: Rec[], params: Params, url: string): JsonObject {
  const limit = optInt(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('This value must be between 1 and 100 (it currently is ' + limit + ').', { param: 'limit' });
  }
  const after = optString(params, 'starting_after');
  const before = optString(params, 'ending_before');
  let page: Rec[];
  let hasMore: boolean;
  if (after) {
    const i = newestFirst.findIndex((r) => r.id === after);
    if (i < 0) throw resourceMissing(NOUNS[kind], after, 'starting_after');
    const rest = newestFirst.slice(i + 1);
    page = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (before) {
    const i = newestFirst.findIndex((r) => r.id === before);
    if (i < 0) throw resourceMissing(NOUNS[kind], before, 'ending_before');
    const rest = newestFirst.slice(0, i);
    page = rest.slice(Math.max(0, rest.length - limit));
    hasMore = rest.length > limit;
  } else {
    page = newestFirst.slice(0, limit);
    hasMore = newestFirst.length > limit;
  }
  return { object: 'list', data: page.map((r) => app.render(kind, r)), has_more: hasMore, url };
}

/** Newest first, as Stripe lists: creation time, then creation order for objects made in the same second. */
export function newestFirst(recs: Rec[]): Rec[] {
  return [...recs].sort((a, b) => Number(b.created) - Number(a.created) || Number(b.__seq) - Number(a.__seq));
}

/** `created` filter: an exact timestamp or `{gt, gte, lt, lte}`. */
export function matchesCreated(rec: Rec, params: Params): boolean {
  const c = params.created;
  if (c === undefined || c === '') return true;
  const t = Number(rec.created);
  if (typeof c === 'string') return t === Number(c);
  if (Array.isArray(c)) return true;
  const bound = (k: string) => {
    const v = c[k];
    return typeof v === 'string' && v !== '' ? Number(v) : undefined;
  };
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  return (gt === undefined || t > gt) && (gte === undefined || t >= gte) && (lt === undefined || t < lt) && (lte === undefined || t <= lte);
}
