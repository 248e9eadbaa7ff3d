import { describe, expect, it } from 'vitest';
import { createGateway } from '../../local/gateway';
import { call } from './fixtures/gateway-client';
import { fixtureAuthorizer, fixtureFunctionsDir, fixtureRoutes } from './fixtures/manifest';
import { cors as manifestCors } from '../../functions/routes';

const ALLOWED = 'https://portal.example.test';
const gateway = createGateway({
  routes: fixtureRoutes,
  authorizer: fixtureAuthorizer,
  functionsDir: fixtureFunctionsDir,
  allowedOrigins: [ALLOWED],
  cors: { allowMethods: ['GET', 'POST', 'PATCH'], maxAgeSeconds: 3600, exposeHeaders: ['retry-after'] },
});

const preflight = (origin: string) => ({
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and the configured CORS headers', async () => {
    const response = await call(gateway, 'OPTIONS', '/things', preflight(ALLOWED));

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-methods': 'GET,POST,PATCH',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '3600',
    });
  });

  it('allows the methods the routes use unless told otherwise', async () => {
    const defaults = createGateway({
      routes: fixtureRoutes.filter((route) => route.method !== 'ANY'),
      authorizer: fixtureAuthorizer,
      functionsDir: fixtureFunctionsDir,
      allowedOrigins: [ALLOWED],
    });

    const response = await call(defaults, 'OPTIONS', '/things', preflight(ALLOWED));

    expect(response.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(response.headers['access-control-max-age']).toBe(String(manifestCors.maxAgeSeconds));
  });

  it('answers a preflight for a path with no OPTIONS route, even one needing authorization', async () => {
    const response = await call(gateway, 'OPTIONS', '/me', preflight(ALLOWED));

    expect(response.status).toBe(204);
  });

  it('gives a preflight from another origin no CORS headers', async () => {
    const response = await call(gateway, 'OPTIONS', '/things', preflight('https://evil.example.test'));

    expect(response.status).toBe(204);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('adds the allow-origin header to responses for an allowed origin, gateway errors included', async () => {
    const ok = await call(gateway, 'GET', '/things', { headers: { origin: ALLOWED } });
    const unauthorized = await call(gateway, 'GET', '/me', { headers: { origin: ALLOWED } });

    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-expose-headers']).toBe('retry-after');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('adds no CORS headers for other origins or requests without an origin', async () => {
    const foreign = await call(gateway, 'GET', '/things', { headers: { origin: 'https://evil.example.test' } });
    const sameSite = await call(gateway, 'GET', '/things');

    expect(foreign.headers).not.toHaveProperty('access-control-allow-origin');
    expect(sameSite.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it("replaces the handler's own CORS headers with the API's", async () => {
    const foreign = await call(gateway, 'GET', '/own-cors-headers', { headers: { origin: 'https://evil.example.test' } });
    const allowed = await call(gateway, 'GET', '/own-cors-headers', { headers: { origin: ALLOWED } });

    expect(foreign.headers).not.toHaveProperty('access-control-allow-origin');
    expect(foreign.headers['x-kept']).toBe('yes');
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('routes OPTIONS like any method when CORS is not configured', async () => {
    const withoutCors = createGateway({
      routes: fixtureRoutes,
      authorizer: fixtureAuthorizer,
      functionsDir: fixtureFunctionsDir,
      allowedOrigins: [],
    });

    const response = await call(withoutCors, 'OPTIONS', '/things', preflight(ALLOWED));

    expect(response.status).toBe(404);
  });
});
