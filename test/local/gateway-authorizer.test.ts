import { describe, expect, it, vi } from 'vitest';
import { createGateway, type GatewayOptions } from '../../local/gateway';
import { call } from './fixtures/gateway-client';
import { fixtureAuthorizer, fixtureFunctionsDir, fixtureRoutes } from './fixtures/manifest';

function gatewayWithClock(overrides: Partial<GatewayOptions> = {}) {
  const clock = { now: 1_000_000 };
  const gateway = createGateway({
    routes: fixtureRoutes,
    authorizer: fixtureAuthorizer,
    functionsDir: fixtureFunctionsDir,
    allowedOrigins: [],
    now: () => clock.now,
    logger: { error: () => undefined },
    ...overrides,
  });
  return { gateway, clock };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function authorizerContext(gateway: ReturnType<typeof createGateway>, token: string, path = '/me') {
  const response = await call(gateway, 'GET', path, bearer(token));
  expect(response.status).toBe(200);
  const lambda = response.echoed().event.requestContext.authorizer?.lambda;
  if (!lambda) throw new Error('the handler received no authorizer context');
  return lambda as { principal: string; invocation: number; admin: boolean; authorizerEvent: string };
}

describe('routes with auth "user"', () => {
  it('answers 401 Unauthorized without invoking the authorizer when the Authorization header is missing', async () => {
    const { gateway } = gatewayWithClock();
    const before = (await authorizerContext(gateway, 'first')).invocation;

    const missing = await call(gateway, 'GET', '/me');
    const empty = await call(gateway, 'GET', '/me', { headers: { authorization: '' } });
    const after = (await authorizerContext(gateway, 'second')).invocation;

    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ message: 'Unauthorized' });
    expect(empty.status).toBe(401);
    expect(after).toBe(before + 1);
  });

  it('answers 403 Forbidden when the authorizer says isAuthorized: false', async () => {
    const { gateway } = gatewayWithClock();

    const response = await call(gateway, 'GET', '/me', bearer('deny-me'));

    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'Forbidden' });
  });

  it.each([
    ['throws', 'explode'],
    ['returns a malformed answer', 'malformed'],
  ])('answers 500 Internal Server Error when the authorizer %s', async (_case, token) => {
    const logger = { error: vi.fn() };
    const { gateway } = gatewayWithClock({ logger });

    const response = await call(gateway, 'GET', '/me', bearer(token));

    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ message: 'Internal Server Error' });
    expect(logger.error).toHaveBeenCalled();
  });

  it("hands the authorizer's context to the handler as requestContext.authorizer.lambda", async () => {
    const { gateway } = gatewayWithClock();

    const context = await authorizerContext(gateway, 'admin');

    expect(context).toMatchObject({ principal: 'admin', admin: true });
  });

  it('invokes the authorizer with a payload format 2.0 REQUEST event', async () => {
    const { gateway } = gatewayWithClock();

    const context = await authorizerContext(gateway, 'inspect-event', '/things/7/notes/n1?verbose=1');
    const event = JSON.parse(context.authorizerEvent) as Record<string, unknown>;

    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:eu-west-2:000000000000:local/$default/GET/things/7/notes/n1',
      identitySource: ['Bearer inspect-event'],
      routeKey: 'GET /things/{thingId}/notes/{noteId}',
      rawPath: '/things/7/notes/n1',
      rawQueryString: 'verbose=1',
      queryStringParameters: { verbose: '1' },
      pathParameters: { thingId: '7', noteId: 'n1' },
      headers: expect.objectContaining({ authorization: 'Bearer inspect-event' }),
      requestContext: expect.objectContaining({ routeKey: 'GET /things/{thingId}/notes/{noteId}', stage: '$default' }),
    });
  });

  it('does not run the authorizer for public routes', async () => {
    const { gateway } = gatewayWithClock();

    const { event } = (await call(gateway, 'GET', '/things', bearer('explode'))).echoed();

    expect(event.requestContext.authorizer).toBeUndefined();
  });
});

describe('the authorizer cache', () => {
  it('reuses an answer for the same token, on any route, until the TTL passes', async () => {
    const { gateway, clock } = gatewayWithClock();

    const first = await authorizerContext(gateway, 'cached');
    const again = await authorizerContext(gateway, 'cached', '/things/1/notes/2');
    clock.now += 299_000;
    const justBeforeExpiry = await authorizerContext(gateway, 'cached');
    clock.now += 1_000;
    const afterExpiry = await authorizerContext(gateway, 'cached');

    expect(again.invocation).toBe(first.invocation);
    expect(justBeforeExpiry.invocation).toBe(first.invocation);
    expect(afterExpiry.invocation).toBeGreaterThan(first.invocation);
  });

  it('keeps answers per token', async () => {
    const { gateway } = gatewayWithClock();

    const alice = await authorizerContext(gateway, 'alice');
    const bob = await authorizerContext(gateway, 'bob');

    expect(bob.principal).toBe('bob');
    expect(bob.invocation).not.toBe(alice.invocation);
  });

  it('caches denials too', async () => {
    const { gateway } = gatewayWithClock();
    const denied = await call(gateway, 'GET', '/me', bearer('deny-cached'));
    const probeBefore = (await authorizerContext(gateway, 'probe-1')).invocation;

    const deniedAgain = await call(gateway, 'GET', '/me', bearer('deny-cached'));
    const probeAfter = (await authorizerContext(gateway, 'probe-2')).invocation;

    expect([denied.status, deniedAgain.status]).toEqual([403, 403]);
    expect(probeAfter).toBe(probeBefore + 1);
  });

  it('asks the authorizer every time when the TTL is 0', async () => {
    const { gateway } = gatewayWithClock({ authorizerCacheTtlSeconds: 0 });

    const first = await authorizerContext(gateway, 'uncached');
    const second = await authorizerContext(gateway, 'uncached');

    expect(second.invocation).toBe(first.invocation + 1);
  });
});
