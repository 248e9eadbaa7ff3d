/** Turns what a handler returned into the HTTP response HTTP API (payload format 2.0) sends. */

export interface GatewayResponse {
  readonly statusCode: number;
  /** Lower-case names; `set-cookie` may hold several values. */
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

export function gatewayError(statusCode: number, message: string): GatewayResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

export const GATEWAY_ERRORS = {
  notFound: () => gatewayError(404, 'Not Found'),
  unauthorized: () => gatewayError(401, 'Unauthorized'),
  forbidden: () => gatewayError(403, 'Forbidden'),
  internal: () => gatewayError(500, 'Internal Server Error'),
  unavailable: () => gatewayError(503, 'Service Unavailable'),
  tooLarge: () => gatewayError(413, 'Request Entity Too Large'),
} as const;

/**
 * The runtime serialises the handler's result to JSON before API Gateway sees it, so the mapping
 * works on the JSON round-trip. Returns undefined for a malformed result (API Gateway answers 500).
 */
export function mapLambdaResult(result: unknown): GatewayResponse | undefined {
  const serialised = JSON.stringify(result);
  const wire: unknown = serialised === undefined ? null : JSON.parse(serialised);

  if (!isRecord(wire) || !('statusCode' in wire)) {
    // Without a statusCode, HTTP API assumes 200 and a JSON body made of the whole result.
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof wire === 'string' ? wire : JSON.stringify(wire),
    };
  }

  const { statusCode, headers = {}, body = '', isBase64Encoded = false, cookies = [] } = wire;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return undefined;
  }
  if (!isRecord(headers) || typeof body !== 'string' || typeof isBase64Encoded !== 'boolean') return undefined;
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) return undefined;

  const responseHeaders: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) return undefined;
    responseHeaders[name.toLowerCase()] = String(value);
  }
  if (cookies.length > 0) responseHeaders['set-cookie'] = cookies;
  if (body !== '' && responseHeaders['content-type'] === undefined) {
    responseHeaders['content-type'] = 'text/plain; charset=utf-8';
  }
  return { statusCode, headers: responseHeaders, body: isBase64Encoded ? Buffer.from(body, 'base64') : body };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
