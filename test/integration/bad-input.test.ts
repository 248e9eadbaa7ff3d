/**
 * Bad input on every route gets a clear 4xx in the one error shape, never a 5xx or a stack trace.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '../../functions/api/contracts';
import { routes } from '../../functions/routes';
import { startTestTwin } from '../support/twin';
import { createCast, type Cast } from './actors';

let twin: Awaited<ReturnType<typeof startTestTwin>>;
let cast: Cast;

beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

/** Fills path parameters with real ids, so the body is what gets judged. */
const concretePath = (path: string) =>
  path
    .replace('{userId}', cast.tenantA.userId)
    .replace('{operatorId}', cast.operatorX.operatorId)
    .replace('{carparkId}', cast.operatorX.carparkId)
    // Well-formed but unknown: the body is judged before the tenancy is looked up.
    .replace('{tenancyId}', 'tn_00000000000000000000')
    .replace('{applicationId}', 'app_00000000000000000000')
    .replace('{offerId}', 'of_00000000000000000000');

/** The admin can call every route; bad input must be refused before authorization matters. */
const send = (method: string, path: string, init: { body?: unknown; rawBody?: string }) =>
  twin.request(method, concretePath(path), { ...init, token: cast.admin.token });

const bodyRoutes = routes.filter((r) => 'body' in contracts[r.id]);

function expectErrorShape(res: { status: number; json: unknown; text: string }, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
  expect(res.text).not.toMatch(/\n\s+at |\.ts:\d+/);
}

describe.each(bodyRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s with bad input', (_name, route) => {
  it('answers 400 to malformed JSON', async () => {
    expectErrorShape(await send(route.method, route.path, { rawBody: '{"oops": ' }), 400, 'malformed_json');
  });

  it('answers 422 to a body that is not an object', async () => {
    expectErrorShape(await send(route.method, route.path, { body: ['a', 'list'] }), 422, 'validation_failed');
  });

  it('answers 422 naming the fields when required fields are missing or empty', async () => {
    const res = await send(route.method, route.path, { body: {} });
    expectErrorShape(res, 422, 'validation_failed');
    expect((res.json as { error: { details: unknown[] } }).error.details.length).toBeGreaterThan(0);
  });

  it('answers 422 to fields of the wrong type', async () => {
    const body = Object.fromEntries(['email', 'password', 'name', 'token', 'capacity', 'prices', 'address'].map((k) => [k, 12345]));
    expectErrorShape(await send(route.method, route.path, { body }), 422, 'validation_failed');
  });

  it('answers 422 naming an unknown field', async () => {
    const res = await send(route.method, route.path, { body: { unexpectedField: true } });
    expectErrorShape(res, 422, 'validation_failed');
    expect(JSON.stringify(res.json)).toContain('unexpectedField');
  });

  it('answers 422 to huge strings and 413 to a huge body', async () => {
    const huge = 'x'.repeat(10_000);
    const body = { email: `${huge}@test.example`, name: huge, password: huge, token: huge };
    expectErrorShape(await send(route.method, route.path, { body }), 422, 'validation_failed');
    expectErrorShape(await send(route.method, route.path, { body: { name: 'x'.repeat(70_000) } }), 413, 'payload_too_large');
  });

  it('never answers 5xx to arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const res = await send(route.method, route.path, { body: value });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 25 },
    );
  });
});

describe('bad path and query values', () => {
  it.each(routes.filter((r) => r.path.includes('{')).map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s answers 404 for an id that cannot exist (422 for a plate that cannot be one)',
    async (_name, route) => {
      const path = route.path.replace(/\{[^}]+\}/, encodeURIComponent("'; DROP TABLE--"));
      const body = route.method === 'PATCH' ? { name: 'x' } : undefined;
      // A plate is looked up, not fetched: what cannot be a plate is bad input, named in a 422.
      const [status, code] = route.id === 'LookUpPlate' ? [422, 'validation_failed'] : [404, 'not_found'];
      expectErrorShape(await twin.request(route.method, path, { body, token: cast.admin.token }), status, code);
    },
  );

  it('answers 422 to an out-of-range page size', async () => {
    expectErrorShape(await twin.request('GET', '/carparks?limit=100000'), 422, 'validation_failed');
    expectErrorShape(await twin.request('GET', '/carparks?limit=abc'), 422, 'validation_failed');
  });

  it('answers 4xx, not 5xx, to a forged pagination cursor', async () => {
    const res = await twin.request('GET', '/carparks?cursor=bm90LWEtY3Vyc29y');
    expect(res.status).toBeLessThan(500);
  });
});
