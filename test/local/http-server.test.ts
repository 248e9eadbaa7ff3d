import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../local/gateway';
import { apiPathSegments, MAX_BODY_BYTES, serveGateway, type RunningServer } from '../../local/http-server';
import { PortInUseError } from '../../local/ports';
import type { EchoedInvocation } from './fixtures/gateway-client';
import { fixtureAuthorizer, fixtureFunctionsDir, fixtureRoutes } from './fixtures/manifest';

const staticDir = fileURLToPath(new URL('./fixtures/web/', import.meta.url));
const gateway = createGateway({
  routes: fixtureRoutes,
  authorizer: fixtureAuthorizer,
  functionsDir: fixtureFunctionsDir,
  allowedOrigins: [],
});
let server: RunningServer;

beforeAll(async () => {
  server = await serveGateway(gateway, { port: 0, staticDir });
});
afterAll(() => server?.close());

/** A raw request, for paths fetch() would normalise. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the HTTP server', () => {
  it('passes requests through the gateway over real HTTP', async () => {
    const response = await fetch(`${server.url}/things/9?colour=red`, { headers: { 'x-probe': 'yes' } });
    const { event } = (await response.json()) as EchoedInvocation;

    expect(response.status).toBe(200);
    expect(response.headers.get('apigw-requestid')).toBe(event.requestContext.requestId);
    expect(event).toMatchObject({ rawPath: '/things/9', queryStringParameters: { colour: 'red' } });
    expect(event.headers).toMatchObject({ 'x-probe': 'yes', host: `127.0.0.1:${server.port}` });
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
  });

  it('passes request bodies byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);

    const response = await fetch(`${server.url}/things`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const { event } = (await response.json()) as EchoedInvocation;

    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('refuses a body over 10 MB with 413, as API Gateway does', async () => {
    const response = await fetch(`${server.url}/things`, {
      method: 'POST',
      body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x61),
      headers: { 'content-type': 'text/plain' },
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('accepts a body of exactly 10 MB', async () => {
    const response = await fetch(`${server.url}/things`, {
      method: 'POST',
      body: Buffer.alloc(MAX_BODY_BYTES, 0x61),
      headers: { 'content-type': 'text/plain' },
    });

    expect(response.status).toBe(200);
  });

  it('serves the web site for GET requests no route matches', async () => {
    const home = await fetch(`${server.url}/`);
    const reset = await fetch(`${server.url}/reset-password?token=abc`);

    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await home.text()).toContain('Fixture home');
    expect(await reset.text()).toContain('Choose a new password');
  });

  it('lets routes win over static files and answers 404 from the gateway when neither exists', async () => {
    const routed = await fetch(`${server.url}/things`);
    const missing = await fetch(`${server.url}/nothing-here`);

    expect(routed.headers.get('content-type')).toBe('application/json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
  });

  it('serves the app for page paths when the fallback is on, but never for API paths or missing files', async () => {
    const app = await serveGateway(gateway, { port: 0, staticDir, apiPathSegments: apiPathSegments(fixtureRoutes.map((r) => r.path)) });
    try {
      const page = await fetch(`${app.url}/my/tenancies/tn_1?x=1`);
      const unknownApiPath = await fetch(`${app.url}/things/9/unknown/deeper`);
      const missingAsset = await fetch(`${app.url}/assets/missing.js`);

      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Fixture home');
      expect(unknownApiPath.status).toBe(404);
      expect(unknownApiPath.headers.get('content-type')).toBe('application/json');
      expect(missingAsset.status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('never serves files outside the static directory', async () => {
    const escaped = await rawGet('/%2e%2e/manifest.ts');

    expect(escaped.status).toBe(404);
    expect(escaped.body).toBe('{"message":"Not Found"}');
  });

  it('fails clearly when the port is taken', async () => {
    const occupant = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => occupant.once('listening', resolve));
    const { port } = occupant.address() as net.AddressInfo;
    try {
      await expect(serveGateway(gateway, { port })).rejects.toBeInstanceOf(PortInUseError);
    } finally {
      occupant.close();
    }
  });
});
