import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { handler as createUser } from '../../functions/handlers/users/create-user';
import { handler as getCarpark } from '../../functions/handlers/carparks/get-carpark';
import { handler as getUser } from '../../functions/handlers/users/get-user';
import type { HttpEvent } from '../../functions/http/route';
import { logger } from '../../functions/http/logger';

const context = { awsRequestId: 'req-123', functionName: 'test', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<HttpEvent> & { lambda?: Record<string, unknown> } = {}): HttpEvent {
  const { lambda, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /users',
    rawPath: '/users',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/users', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-123',
      routeKey: 'POST /users',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(lambda ? { authorizer: { lambda } } : {}),
    },
    ...rest,
  } as HttpEvent;
}

const call = async (fn: (e: HttpEvent, c: Context) => Promise<unknown>, e: HttpEvent) => {
  const result = (await fn(e, context)) as { statusCode: number; headers: Record<string, string>; body?: string };
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

describe('request body handling', () => {
  it('answers 400 malformed_json for a body that is not JSON', async () => {
    const res = await call(createUser, event({ body: '{"email": ' }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
  });

  it('answers 413 for a body over 64 KB, before parsing it', async () => {
    const res = await call(createUser, event({ body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }) }));
    expect(res.statusCode).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
  });

  it('answers 415 for a body sent as another media type', async () => {
    const res = await call(createUser, event({ body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(res.statusCode).toBe(415);
  });

  it('answers 422 naming every failing field, unknown ones included', async () => {
    const res = await call(
      createUser,
      event({ body: JSON.stringify({ email: 'not-an-email', password: 5, name: 'Sam', accountType: 'robot', isAdmin: true }) }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json.error.code).toBe('validation_failed');
    const paths = res.json.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['accountType', 'email', 'isAdmin', 'password']);
  });

  it('accepts a base64-encoded JSON body', async () => {
    const body = Buffer.from('{"email":"x"}').toString('base64');
    const res = await call(createUser, event({ body, isBase64Encoded: true }));
    expect(res.statusCode).toBe(422); // parsed, then validated: not a framing error
  });
});

describe('authentication', () => {
  it('answers 401 in our error shape when the authorizer found no identity', async () => {
    const res = await call(getUser, event({ pathParameters: { userId: 'usr_00000000000000000000' }, lambda: {} }));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json.error.code).toBe('unauthenticated');
  });

  it('answers 401 when the cached identity has expired since the authorizer ran', async () => {
    const expired = { userId: 'usr_00000000000000000000', role: 'tenant', expiresAt: Math.floor(Date.now() / 1000) - 1 };
    const res = await call(getUser, event({ pathParameters: { userId: 'usr_00000000000000000000' }, lambda: expired }));
    expect(res.statusCode).toBe(401);
  });

  it('answers 404 for a path id that cannot exist, without touching the table', async () => {
    const res = await call(getCarpark, event({ pathParameters: { carparkId: '../etc/passwd' } }));
    expect(res.statusCode).toBe(404);
  });
});

describe('unexpected failures', () => {
  it('answer 500 with a request id and no stack trace, and log the cause', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      const res = await call(getCarpark, event({ pathParameters: { carparkId: 'cp_00000000000000000000' } }));
      expect(res.statusCode).toBe(500);
      expect(res.json.error.code).toBe('internal_error');
      expect(res.json.error.message).toContain('req-123');
      expect(res.body).not.toMatch(/at .*\.ts|TABLE_NAME/);
      expect(logged).toHaveBeenCalled();
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
      logged.mockRestore();
    }
  });
});
