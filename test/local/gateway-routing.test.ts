import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGateway, type GatewayOptions } from '../../local/gateway';
import { BYTES } from './fixtures/functions/binary';
import { call } from './fixtures/gateway-client';
import { fixtureAuthorizer, fixtureFunctionsDir, fixtureRoutes } from './fixtures/manifest';

function fixtureGateway(overrides: Partial<GatewayOptions> = {}) {
  return createGateway({
    routes: fixtureRoutes,
    authorizer: fixtureAuthorizer,
    functionsDir: fixtureFunctionsDir,
    allowedOrigins: [],
    functionTimeoutSeconds: 0.2,
    logger: { error: () => undefined },
    ...overrides,
  });
}

const gateway = fixtureGateway();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('route selection', () => {
  it('prefers a static segment over a path parameter', async () => {
    const special = (await call(gateway, 'GET', '/things/special')).echoed();
    const other = (await call(gateway, 'GET', '/things/42')).echoed();

    expect(special.event.routeKey).toBe('GET /things/special');
    expect(special.event.pathParameters).toBeUndefined();
    expect(other.event.routeKey).toBe('GET /things/{thingId}');
    expect(other.event.pathParameters).toEqual({ thingId: '42' });
  });

  it('chooses the route by method on the same path', async () => {
    const listed = (await call(gateway, 'GET', '/things')).echoed();
    const created = (await call(gateway, 'POST', '/things', { body: '{}', headers: { 'content-type': 'application/json' } })).echoed();

    expect(listed.context.functionName).toBe('ListThings');
    expect(created.context.functionName).toBe('CreateThing');
  });

  it('gives a greedy path variable the rest of the path, and prefers an exact method over ANY', async () => {
    const fetched = (await call(gateway, 'GET', '/files/reports/2026/may.pdf')).echoed();
    const deleted = (await call(gateway, 'DELETE', '/files/reports/old.pdf')).echoed();

    expect(fetched.event.routeKey).toBe('GET /files/{proxy+}');
    expect(fetched.event.pathParameters).toEqual({ proxy: 'reports/2026/may.pdf' });
    expect(deleted.event.routeKey).toBe('ANY /files/{proxy+}');
  });

  it('decodes path parameters', async () => {
    const { event } = (await call(gateway, 'GET', '/things/caf%C3%A9%20bar')).echoed();

    expect(event.pathParameters).toEqual({ thingId: 'café bar' });
    expect(event.rawPath).toBe('/things/café bar');
  });

  it.each([
    ['an unknown path', 'GET', '/nowhere'],
    ['a known path with another method', 'DELETE', '/things'],
    ['a trailing slash', 'GET', '/things/'],
    ['an empty path parameter', 'GET', '/things//notes/1'],
  ])('answers 404 Not Found for %s', async (_case, method, path) => {
    const response = await call(gateway, method, path);

    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ message: 'Not Found' });
  });

  it('tells whether a route exists without invoking anything', () => {
    expect(gateway.hasRoute('GET', '/things/7?x=1')).toBe(true);
    expect(gateway.hasRoute('GET', '/index.html')).toBe(false);
  });
});

describe('the payload format 2.0 event', () => {
  it('carries the request as HTTP API sends it', async () => {
    const { event, context } = (
      await call(gateway, 'GET', '/things/7?size=large&tag=a&tag=b&empty=', {
        headers: { 'X-Custom': ['one', 'two'], Host: 'api.example.test', 'user-agent': 'probe/1.0' },
        sourceIp: '203.0.113.9',
      })
    ).echoed();

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{thingId}',
      rawPath: '/things/7',
      rawQueryString: 'size=large&tag=a&tag=b&empty=',
      queryStringParameters: { size: 'large', tag: 'a,b', empty: '' },
      pathParameters: { thingId: '7' },
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'x-custom': 'one,two',
      host: 'api.example.test',
      'user-agent': 'probe/1.0',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(event.body).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.stageVariables).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      routeKey: 'GET /things/{thingId}',
      stage: '$default',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method: 'GET', path: '/things/7', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'probe/1.0' },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5000);
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(context).toMatchObject({ functionName: 'GetThing', invokedFunctionArn: expect.stringMatching(/:function:GetThing$/) });
    expect(context.remainingMs).toBeGreaterThan(0);
  });

  it('leaves out query parameters, path parameters and cookies when there are none', async () => {
    const { event } = (await call(gateway, 'GET', '/things')).echoed();

    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event.rawQueryString).toBe('');
  });

  it('moves Cookie headers into the cookies list', async () => {
    const { event } = (await call(gateway, 'GET', '/things', { headers: { cookie: 'a=1; b=2' } })).echoed();

    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('passes a JSON body as text', async () => {
    const body = JSON.stringify({ name: 'Zoë' });
    const { event } = (await call(gateway, 'POST', '/things', { body, headers: { 'content-type': 'application/json; charset=utf-8' } })).echoed();

    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body);
  });

  it.each([
    ['a binary content type', 'application/octet-stream'],
    ['a form post', 'application/x-www-form-urlencoded'],
  ])('base64-encodes the body of %s', async (_case, contentType) => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x61]);
    const { event } = (await call(gateway, 'POST', '/things', { body: bytes, headers: { 'content-type': contentType } })).echoed();

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('gives every request its own id, echoed in the apigw-requestid header', async () => {
    const first = await call(gateway, 'GET', '/things');
    const second = await call(gateway, 'GET', '/things');

    expect(first.headers['apigw-requestid']).toBe(first.echoed().event.requestContext.requestId);
    expect(second.headers['apigw-requestid']).not.toBe(first.headers['apigw-requestid']);
  });
});

describe('response mapping', () => {
  it('answers 200 with JSON when the handler returns a value without statusCode', async () => {
    const response = await call(gateway, 'GET', '/plain');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual({ hello: 'world', count: 2 });
  });

  it('defaults the content type of a structured result to text/plain', async () => {
    const response = await call(gateway, 'GET', '/text');

    expect(response.status).toBe(418);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toBe('short and stout');
  });

  it('decodes a base64 body', async () => {
    const response = await call(gateway, 'GET', '/binary');

    expect(response.headers['content-type']).toBe('image/png');
    expect(response.rawBody).toEqual(BYTES);
  });

  it('turns cookies into set-cookie headers', async () => {
    const response = await call(gateway, 'GET', '/cookies');

    expect(response.headers['set-cookie']).toEqual(['session=abc; HttpOnly; Path=/', 'theme=dark']);
  });

  it.each([
    ['throws', '/explode'],
    ['returns a malformed result', '/malformed'],
    ['does not export a handler', '/no-handler'],
    ['outlives its timeout', '/hang'],
  ])('answers 500 Internal Server Error when the function %s, and logs why', async (_case, path) => {
    const logger = { error: vi.fn() };
    const failing = fixtureGateway({ logger });

    const response = await call(failing, 'GET', path);

    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ message: 'Internal Server Error' });
    expect(logger.error).toHaveBeenCalled();
  });

  it('answers 503 Service Unavailable when the 30-second integration timeout ends a longer function', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const patient = fixtureGateway({ functionTimeoutSeconds: 60 });
      const pending = call(patient, 'GET', '/hang');
      await vi.advanceTimersByTimeAsync(30_000);

      const response = await pending;

      expect(response.status).toBe(503);
      expect(response.json()).toEqual({ message: 'Service Unavailable' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('preloading', () => {
  it('reports the handler modules that cannot be loaded', async () => {
    const { loaded, failed } = await gateway.preload();

    expect(failed.map((failure) => failure.module)).toEqual(['no-handler.ts']);
    expect(loaded).toContain('echo.ts');
    expect(loaded).toContain('authorizer.ts');
  });
});
