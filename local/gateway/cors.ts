/**
 * HTTP API's built-in CORS: the gateway answers preflight requests itself and adds the CORS
 * headers to every response for an allowed origin. CORS headers a handler sets are ignored,
 * as they are on AWS once CORS is configured on the API.
 */
import type { GatewayResponse } from './lambda-response';

export interface CorsSettings {
  /** Exact origins, or `*`. */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
  readonly allowCredentials: boolean;
}

export function isPreflight(method: string, origin: string | undefined, requestedMethod: string | undefined): boolean {
  return method.toUpperCase() === 'OPTIONS' && origin !== undefined && requestedMethod !== undefined;
}

export function preflightResponse(cors: CorsSettings, origin: string | undefined): GatewayResponse {
  const allowedOrigin = allowedOriginFor(cors, origin);
  if (!allowedOrigin) return { statusCode: 204, headers: {}, body: '' };
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-origin': allowedOrigin,
      'access-control-allow-methods': cors.allowMethods.join(','),
      'access-control-allow-headers': cors.allowHeaders.join(','),
      'access-control-max-age': String(cors.maxAgeSeconds),
      ...(cors.allowCredentials && { 'access-control-allow-credentials': 'true' }),
    },
    body: '',
  };
}

export function withCorsHeaders(cors: CorsSettings, origin: string | undefined, response: GatewayResponse): GatewayResponse {
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(([name]) => !name.startsWith('access-control-')),
  );
  const allowedOrigin = allowedOriginFor(cors, origin);
  if (allowedOrigin) {
    headers['access-control-allow-origin'] = allowedOrigin;
    if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  }
  return { ...response, headers };
}

function allowedOriginFor(cors: CorsSettings, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes(origin)) return origin;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return undefined;
}
