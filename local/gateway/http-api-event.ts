/**
 * Builds the payload-format-2.0 events HTTP API sends to Lambda integrations and to Lambda
 * authorizers, from a plain HTTP request.
 */
import { randomBytes } from 'node:crypto';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { decodeSegment } from './route-table';

export interface GatewayRequest {
  readonly method: string;
  /** Path with its query string, as on the request line: `/users/42?expand=true`. */
  readonly path: string;
  /** Header values as received; repeated headers may be given as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: string | Buffer;
  readonly sourceIp?: string;
}

export interface ApiIdentity {
  readonly accountId: string;
  readonly apiId: string;
  readonly region: string;
  readonly stage: string;
}

/** Everything both events share, derived once per request. */
export interface RequestView {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly cookies?: string[];
  readonly queryStringParameters?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: APIGatewayEventRequestContextV2;
}

/** HTTP API passes these content types to Lambda as text; every other body arrives base64-encoded. */
const TEXT_CONTENT_TYPE = /^(text\/[^;]+|application\/([\w.+-]+\+)?(json|xml|javascript))\s*(;|$)/i;

export function describeRequest(
  request: GatewayRequest,
  api: ApiIdentity,
  routeKey: string,
  requestId: string,
  receivedAt: Date,
): RequestView {
  const [encodedPath = '/', rawQueryString = ''] = splitOnce(request.path.split('#')[0] ?? '', '?');
  const { headers, cookies } = normaliseHeaders(request.headers);
  const sourceIp = request.sourceIp ?? '127.0.0.1';
  addProxyHeaders(headers, sourceIp);
  // HTTP API hands Lambda the path percent-decoded, in rawPath and http.path alike.
  const rawPath = decodeSegment(encodedPath);
  const domainName = headers.host ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`;

  return {
    method: request.method.toUpperCase(),
    rawPath,
    rawQueryString,
    headers,
    ...(cookies.length > 0 && { cookies }),
    ...optional('queryStringParameters', parseQueryString(rawQueryString)),
    ...encodeBody(request.body, headers['content-type']),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: api.stage,
      time: formatRequestTime(receivedAt),
      timeEpoch: receivedAt.getTime(),
    },
  };
}

export function buildProxyEvent<TAuthorizerContext>(
  view: RequestView,
  routeKey: string,
  pathParameters: Record<string, string>,
  authorizerContext: TAuthorizerContext | undefined,
): APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2 & { authorizer?: { lambda: TAuthorizerContext } }> {
  return {
    version: '2.0',
    routeKey,
    rawPath: view.rawPath,
    rawQueryString: view.rawQueryString,
    ...(view.cookies && { cookies: view.cookies }),
    headers: view.headers,
    ...(view.queryStringParameters && { queryStringParameters: view.queryStringParameters }),
    requestContext: {
      ...view.requestContext,
      ...(authorizerContext !== undefined && { authorizer: { lambda: authorizerContext } }),
    },
    ...optional('pathParameters', pathParameters),
    ...(view.body !== undefined && { body: view.body }),
    isBase64Encoded: view.isBase64Encoded,
  };
}

export function buildAuthorizerEvent(
  view: RequestView,
  api: ApiIdentity,
  routeKey: string,
  pathParameters: Record<string, string>,
  identitySource: string[],
): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${view.method}${view.rawPath}`,
    identitySource,
    routeKey,
    rawPath: view.rawPath,
    rawQueryString: view.rawQueryString,
    cookies: view.cookies ?? [],
    headers: view.headers,
    ...(view.queryStringParameters && { queryStringParameters: view.queryStringParameters }),
    requestContext: view.requestContext,
    ...optional('pathParameters', pathParameters),
  };
}

/**
 * Resolves identity-source expressions (`$request.header.Authorization`,
 * `$request.querystring.token`) to their values; undefined when any is missing or empty, which is
 * when HTTP API answers 401 without invoking the authorizer.
 */
export function resolveIdentitySource(expression: string, view: RequestView): string[] | undefined {
  const values: string[] = [];
  for (const source of expression.split(',').map((part) => part.trim())) {
    const header = /^\$request\.header\.(.+)$/i.exec(source);
    const query = /^\$request\.querystring\.(.+)$/i.exec(source);
    const value = header?.[1]
      ? view.headers[header[1].toLowerCase()]
      : query?.[1]
        ? view.queryStringParameters?.[query[1]]
        : undefined;
    if (!value) return undefined;
    values.push(value);
  }
  return values;
}

/** Lower-cases names and comma-joins repeats; Cookie headers move to the separate cookies list. */
function normaliseHeaders(raw: GatewayRequest['headers']): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value];
    const key = name.toLowerCase();
    if (key === 'cookie') {
      cookies.push(...values.flatMap((header) => header.split(';')).map((cookie) => cookie.trim()).filter(Boolean));
      continue;
    }
    headers[key] = headers[key] === undefined ? values.join(',') : [headers[key], ...values].join(',');
  }
  return { headers, cookies };
}

function addProxyHeaders(headers: Record<string, string>, sourceIp: string): void {
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-amzn-trace-id'] ??= traceId();
}

function parseQueryString(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    if (name === '') continue;
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return parameters;
}

function encodeBody(
  body: string | Buffer | undefined,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { isBase64Encoded: false };
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (contentType && TEXT_CONTENT_TYPE.test(contentType)) return { body: bytes.toString('utf8'), isBase64Encoded: false };
  return { body: bytes.toString('base64'), isBase64Encoded: true };
}

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function traceId(): string {
  const epochHex = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epochHex}-${randomBytes(12).toString('hex')}`;
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ''] : [value.slice(0, index), value.slice(index + 1)];
}

/** HTTP API leaves a map out of the event entirely when it would be empty. */
function optional<K extends string>(key: K, value: Record<string, string>): Partial<Record<K, Record<string, string>>> {
  return Object.keys(value).length > 0 ? ({ [key]: value } as Record<K, Record<string, string>>) : {};
}
