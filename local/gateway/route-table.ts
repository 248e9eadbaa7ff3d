/**
 * Route selection as HTTP API does it: among the routes whose method and path template fit the
 * request, the most specific wins. Segment by segment, a static segment beats `{param}`, which
 * beats a greedy `{proxy+}`; an exact method beats `ANY`.
 */

type Segment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

const SPECIFICITY = { static: 0, param: 1, greedy: 2 } as const;

export interface RoutableSpec {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R> {
  readonly route: R;
  /** Decoded values, keyed by the template's parameter names; empty when the path has none. */
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute<R> {
  readonly route: R;
  readonly method: string;
  readonly segments: readonly Segment[];
}

export interface RouteTable<R> {
  match(method: string, path: string): RouteMatch<R> | undefined;
}

export function createRouteTable<R extends RoutableSpec>(routes: readonly R[]): RouteTable<R> {
  const compiled = routes.map((route) => ({
    route,
    method: route.method.toUpperCase(),
    segments: parseTemplate(route.path),
  }));

  return {
    match(method, path) {
      const requestSegments = splitPath(path);
      const candidates: { compiled: CompiledRoute<R>; pathParameters: Record<string, string> }[] = [];
      for (const entry of compiled) {
        if (entry.method !== method.toUpperCase() && entry.method !== 'ANY') continue;
        const pathParameters = matchSegments(entry.segments, requestSegments);
        if (pathParameters) candidates.push({ compiled: entry, pathParameters });
      }
      candidates.sort((a, b) => compareSpecificity(a.compiled, b.compiled));
      const best = candidates[0];
      return best && { route: best.compiled.route, pathParameters: best.pathParameters };
    },
  };
}

function parseTemplate(template: string): Segment[] {
  return splitPath(template).map((part): Segment => {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
    const param = /^\{(.+)\}$/.exec(part);
    if (param?.[1]) return { kind: 'param', name: param[1] };
    return { kind: 'static', value: part };
  });
}

/** `/a/b/` → ['a', 'b', '']: a trailing slash is an empty segment, so it never matches `/a/b`. */
function splitPath(path: string): string[] {
  return path.replace(/^\//, '').split('/');
}

function matchSegments(template: readonly Segment[], request: readonly string[]): Record<string, string> | undefined {
  const pathParameters: Record<string, string> = {};
  for (const [index, segment] of template.entries()) {
    const value = request[index];
    if (segment.kind === 'greedy') {
      const rest = request.slice(index);
      if (rest.length === 0 || rest.some((part) => part === '')) return undefined;
      pathParameters[segment.name] = rest.map(decodeSegment).join('/');
      return pathParameters;
    }
    if (value === undefined) return undefined;
    if (segment.kind === 'static') {
      if (segment.value !== value) return undefined;
    } else {
      if (value === '') return undefined;
      pathParameters[segment.name] = decodeSegment(value);
    }
  }
  return template.length === request.length ? pathParameters : undefined;
}

function compareSpecificity<R>(a: CompiledRoute<R>, b: CompiledRoute<R>): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const left = a.segments[index];
    const right = b.segments[index];
    if (!left || !right) return left ? -1 : 1;
    const difference = SPECIFICITY[left.kind] - SPECIFICITY[right.kind];
    if (difference !== 0) return difference;
  }
  return Number(a.method === 'ANY') - Number(b.method === 'ANY');
}

export function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
