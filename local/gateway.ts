/**
 * An in-process API Gateway HTTP API: routes requests from the route manifest to handler modules
 * with payload-format-2.0 events, runs the Lambda authorizer (with its cache) for `user` routes,
 * maps results and failures to HTTP responses as AWS does, and applies the API's CORS settings.
 */
import { randomUUID } from 'node:crypto';
import { createAuthorizerCache, parseAuthorizerDecision, type AuthorizerDecision } from './gateway/authorizer-cache';
import { cors as manifestCors } from '../functions/routes';
import { isPreflight, preflightResponse, withCorsHeaders, type CorsSettings } from './gateway/cors';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  describeRequest,
  resolveIdentitySource,
  type ApiIdentity,
  type GatewayRequest,
  type RequestView,
} from './gateway/http-api-event';
import { createLambdaContext } from './gateway/lambda-context';
import { GATEWAY_ERRORS, mapLambdaResult, type GatewayResponse } from './gateway/lambda-response';
import { createLambdaRunner, type InvocationOutcome } from './gateway/lambda-runner';
import { createRouteTable } from './gateway/route-table';

export type { GatewayRequest } from './gateway/http-api-event';
export type { GatewayResponse } from './gateway/lambda-response';
export type { CorsSettings } from './gateway/cors';

export interface GatewayRoute {
  readonly id: string;
  readonly method: string;
  /** API Gateway path syntax: `/users/{userId}`, `/files/{proxy+}`. */
  readonly path: string;
  /** Module path relative to the functions directory, exporting `handler`. */
  readonly handler: string;
  readonly auth: 'public' | 'user';
}

export interface GatewayAuthorizer {
  readonly id: string;
  readonly handler: string;
  /** Comma-separated `$request.header.X` / `$request.querystring.x` expressions. */
  readonly identitySource: string;
  readonly resultsCacheTtlSeconds: number;
}

export interface GatewayOptions {
  readonly routes: readonly GatewayRoute[];
  /** Required when any route has `auth: 'user'`. */
  readonly authorizer?: GatewayAuthorizer;
  /** Directory the routes' handler paths are relative to. */
  readonly functionsDir: string;
  /** CORS allowed origins; CORS is off (no preflight handling, no headers) when empty. */
  readonly allowedOrigins: readonly string[];
  /** Overrides the authorizer's own `resultsCacheTtlSeconds` (0 disables the cache). */
  readonly authorizerCacheTtlSeconds?: number;
  readonly cors?: Partial<Omit<CorsSettings, 'allowOrigins'>>;
  /** Lambda timeout of every function; past 30 s the HTTP API integration timeout (503) applies first. */
  readonly functionTimeoutSeconds?: number;
  readonly api?: Partial<ApiIdentity>;
  /** Clock for the authorizer cache, so tests can move time instead of waiting. */
  readonly now?: () => number;
  readonly logger?: Pick<Console, 'error'>;
}

export interface Gateway {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  /** Whether some route serves this method and path (query string allowed). */
  hasRoute(method: string, path: string): boolean;
  /** Imports every handler module now, so startup can report the ones that fail. */
  preload(): Promise<{ loaded: string[]; failed: { module: string; error: unknown }[] }>;
}

/** HTTP API gives up on an integration after 30 seconds. */
const INTEGRATION_TIMEOUT_MS = 30_000;

const DEFAULT_API: ApiIdentity = { accountId: '000000000000', apiId: 'local', region: 'eu-west-2', stage: '$default' };

type Route = GatewayRoute;
type Authorization =
  | { kind: 'none' }
  | { kind: 'authorized'; context: Record<string, unknown> }
  | { kind: 'rejected'; response: GatewayResponse };

export function createGateway(options: GatewayOptions): Gateway {
  const api: ApiIdentity = { ...DEFAULT_API, ...options.api };
  const now = options.now ?? Date.now;
  const logger = options.logger ?? console;
  const functionTimeoutMs = (options.functionTimeoutSeconds ?? 30) * 1000;
  const routeTable = createRouteTable(options.routes);
  const runner = createLambdaRunner(options.functionsDir);
  const cors = corsSettings(options);
  const { authorizer } = options;
  const authorizerCache = createAuthorizerCache(
    options.authorizerCacheTtlSeconds ?? authorizer?.resultsCacheTtlSeconds ?? 0,
    now,
  );

  if (!authorizer && options.routes.some((route) => route.auth === 'user')) {
    throw new Error('Routes with auth "user" need an authorizer');
  }

  async function invoke(functionName: string, modulePath: string, event: unknown): Promise<InvocationOutcome> {
    const context = createLambdaContext({ functionName, timeoutMs: functionTimeoutMs, memoryLimitInMB: 1024 }, api);
    const outcome = await runner.invoke(modulePath, event, context, Math.min(functionTimeoutMs, INTEGRATION_TIMEOUT_MS));
    if (outcome.kind === 'threw') logger.error(`[${functionName}] invocation failed:`, outcome.error);
    if (outcome.kind === 'timedOut') logger.error(`[${functionName}] timed out`);
    return outcome;
  }

  async function authorize(route: Route, view: RequestView, pathParameters: Record<string, string>): Promise<Authorization> {
    if (route.auth === 'public' || !authorizer) return { kind: 'none' };
    const identity = resolveIdentitySource(authorizer.identitySource, view);
    if (!identity) return { kind: 'rejected', response: GATEWAY_ERRORS.unauthorized() };

    let decision: AuthorizerDecision | undefined = authorizerCache.get(identity);
    if (!decision) {
      const event = buildAuthorizerEvent(view, api, routeKeyOf(route), pathParameters, identity);
      const outcome = await invoke(authorizer.id, authorizer.handler, event);
      if (outcome.kind !== 'returned') return { kind: 'rejected', response: GATEWAY_ERRORS.internal() };
      decision = parseAuthorizerDecision(outcome.value);
      if (!decision) {
        logger.error(`[${authorizer.id}] returned a malformed simple response:`, outcome.value);
        return { kind: 'rejected', response: GATEWAY_ERRORS.internal() };
      }
      authorizerCache.set(identity, decision);
    }
    return decision.isAuthorized
      ? { kind: 'authorized', context: decision.context ?? {} }
      : { kind: 'rejected', response: GATEWAY_ERRORS.forbidden() };
  }

  async function route(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    const match = routeTable.match(request.method, pathOnly(request.path));
    if (!match) return GATEWAY_ERRORS.notFound();
    const routeKey = routeKeyOf(match.route);
    const view = describeRequest(request, api, routeKey, requestId, new Date());

    const authorization = await authorize(match.route, view, match.pathParameters);
    if (authorization.kind === 'rejected') return authorization.response;

    const authorizerContext = authorization.kind === 'authorized' ? authorization.context : undefined;
    const event = buildProxyEvent(view, routeKey, match.pathParameters, authorizerContext);
    const outcome = await invoke(match.route.id, match.route.handler, event);
    if (outcome.kind === 'timedOut') {
      return functionTimeoutMs >= INTEGRATION_TIMEOUT_MS ? GATEWAY_ERRORS.unavailable() : GATEWAY_ERRORS.internal();
    }
    if (outcome.kind === 'threw') return GATEWAY_ERRORS.internal();
    const response = mapLambdaResult(outcome.value);
    if (!response) {
      logger.error(`[${match.route.id}] returned a malformed response:`, outcome.value);
      return GATEWAY_ERRORS.internal();
    }
    return response;
  }

  return {
    async handle(request) {
      const requestId = randomUUID();
      const origin = headerValue(request, 'origin');
      let response: GatewayResponse;
      if (cors && isPreflight(request.method, origin, headerValue(request, 'access-control-request-method'))) {
        response = preflightResponse(cors, origin);
      } else {
        response = await route(request, requestId);
        if (cors) response = withCorsHeaders(cors, origin, response);
      }
      return { ...response, headers: { ...response.headers, 'apigw-requestid': requestId } };
    },

    hasRoute(method, path) {
      return routeTable.match(method, pathOnly(path)) !== undefined;
    },

    async preload() {
      const modules = [...new Set([...options.routes.map((r) => r.handler), ...(authorizer ? [authorizer.handler] : [])])];
      const loaded: string[] = [];
      const failed: { module: string; error: unknown }[] = [];
      for (const module of modules) {
        await runner.load(module).then(
          () => loaded.push(module),
          (error: unknown) => failed.push({ module, error }),
        );
      }
      return { loaded, failed };
    },
  };
}

function corsSettings(options: GatewayOptions): CorsSettings | undefined {
  if (options.allowedOrigins.length === 0) return undefined;
  const methods = [...new Set(options.routes.map((route) => route.method.toUpperCase()))].sort();
  const routeMethods = methods.includes('ANY') ? ['*'] : methods;
  return {
    allowOrigins: options.allowedOrigins,
    allowMethods: options.cors?.allowMethods ?? routeMethods,
    allowHeaders: options.cors?.allowHeaders ?? manifestCors.allowHeaders,
    exposeHeaders: options.cors?.exposeHeaders ?? [],
    maxAgeSeconds: options.cors?.maxAgeSeconds ?? manifestCors.maxAgeSeconds,
    allowCredentials: options.cors?.allowCredentials ?? false,
  };
}

function routeKeyOf(route: Route): string {
  return `${route.method.toUpperCase()} ${route.path}`;
}

function pathOnly(pathWithQuery: string): string {
  return pathWithQuery.split(/[?#]/)[0] || '/';
}

function headerValue(request: GatewayRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return typeof value === 'string' ? value : value?.[0];
}
