/**
 * Puts a gateway on a real port: reads each request (refusing bodies over API Gateway's 10 MB
 * limit), passes it to the gateway and writes the answer. GET requests no route matches may be
 * served from a static directory, like the CloudFront-hosted site beside the API on AWS, with the
 * same single-page-app fallback: a page path (no file extension, outside the API's path prefixes)
 * that is no file gets index.html, and the app's router shows the page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway, GatewayResponse } from './gateway';
import { GATEWAY_ERRORS } from './gateway/lambda-response';
import { listen } from './ports';
import { readStaticFile } from './static-files';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServeOptions {
  readonly port: number;
  readonly host?: string;
  /** Files served for GET/HEAD requests that match no API route. */
  readonly staticDir?: string;
  /**
   * First path segments that belong to the API (`tenancies`, `billing`, ...): paths under them
   * never fall back to the app's index.html, so an unknown API path still gets the API's 404.
   * Without it there is no fallback.
   */
  readonly apiPathSegments?: readonly string[];
  /** One line per request, e.g. `GET /health 200 12 ms`; silent when omitted. */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function serveGateway(gateway: Gateway, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((request, response) => {
    const startedAt = Date.now();
    response.on('finish', () =>
      options.log?.(`${request.method} ${request.url} ${response.statusCode} ${Date.now() - startedAt} ms`),
    );
    answer(gateway, options, request)
      .then((result) => writeResponse(response, result, request.method === 'HEAD'))
      .catch((error: unknown) => {
        console.error('Request failed inside the local gateway:', error);
        if (!response.headersSent) writeResponse(response, GATEWAY_ERRORS.internal(), false);
        else response.destroy();
      });
  });

  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(gateway: Gateway, options: ServeOptions, request: http.IncomingMessage): Promise<GatewayResponse> {
  const method = request.method ?? 'GET';
  const path = request.url ?? '/';

  if (options.staticDir && (method === 'GET' || method === 'HEAD') && !gateway.hasRoute(method, path)) {
    const file =
      (await readStaticFile(options.staticDir, path)) ??
      (options.apiPathSegments && isAppPagePath(path, options.apiPathSegments)
        ? await readStaticFile(options.staticDir, '/index.html')
        : undefined);
    if (file) return { statusCode: 200, headers: { 'content-type': file.contentType }, body: file.body };
  }

  const body = await readBody(request);
  if (body === 'too-large') return GATEWAY_ERRORS.tooLarge();
  return gateway.handle({
    method,
    path,
    headers: request.headersDistinct,
    ...(body.length > 0 && { body }),
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
  });
}

/** A path the single-page app routes: no file extension in its last segment, first segment not the API's. */
export function isAppPagePath(urlPath: string, apiPathSegments: readonly string[]): boolean {
  const pathname = urlPath.split(/[?#]/)[0] ?? '/';
  const segments = pathname.split('/');
  const first = segments[1] ?? '';
  const last = segments.at(-1) ?? '';
  return !apiPathSegments.includes(first) && !last.includes('.');
}

/** The first path segment of each API path: `/tenancies/{tenancyId}` → `tenancies`. */
export function apiPathSegments(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => p.split('/')[1] ?? '').filter((segment) => segment !== ''))];
}

/** Resolves as soon as the body passes the limit; the rest of an oversized upload is drained and dropped. */
function readBody(request: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      request.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES) resolve('too-large');
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function writeResponse(response: http.ServerResponse, result: GatewayResponse, headOnly: boolean): void {
  const body = typeof result.body === 'string' ? Buffer.from(result.body, 'utf8') : result.body;
  response.writeHead(result.statusCode, { ...result.headers, 'content-length': String(body.length) });
  response.end(headOnly ? undefined : body);
}
