/**
 * How the client reads answers the simulator never gives: a vendor or a proxy misbehaving.
 * A stub fetch stands in for the network.
 */
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../functions/adapters/http';
import { createSmartParkingClient } from '../../../functions/adapters/smartparking/client';
import { BarrierRejectedError, BarrierUnavailableError } from '../../../functions/domain/barrier';
import { SITE, caught, registration } from './helpers';

interface Sent {
  readonly url: string;
  readonly init: RequestInit | undefined;
}

function stubbed(answers: Array<() => Response>) {
  const sent: Sent[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    sent.push({ url: String(input), init });
    const next = answers.shift();
    if (!next) throw new Error('no more stubbed answers');
    return next();
  };
  let key = 0;
  const client = createSmartParkingClient({
    baseUrl: 'https://smartparking.example/',
    apiKey: async () => `key-${++key}`,
    fetch: fetchStub,
  });
  return { client, sent };
}

const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('reading SmartParking answers', () => {
  it('does not count a 404 without SmartParking’s own code as a revoked plate', async () => {
    const { client } = stubbed([() => new Response('<html>Not Found</html>', { status: 404 })]);

    const error = await caught(() => client.revoke({ siteId: SITE, plate: 'AB12CDE' }));

    expect(error).toBeInstanceOf(BarrierRejectedError);
    expect(error).toMatchObject({ code: 'http_404', status: 404 });
  });

  it('treats a success it cannot read as unavailable, so the idempotent call is retried', async () => {
    const { client } = stubbed([jsonAnswer(200, { ok: true })]);

    const error = await caught(() => client.register(registration()));

    expect(error).toBeInstanceOf(BarrierUnavailableError);
    expect(error).toMatchObject({ reason: 'invalid_response', status: 200 });
  });

  it('stops listing when a cursor repeats instead of looping forever', async () => {
    const page = { plates: [], nextCursor: 'same' };
    const { client, sent } = stubbed([jsonAnswer(200, page), jsonAnswer(200, page), jsonAnswer(200, page)]);

    expect(await caught(() => client.list(SITE))).toMatchObject({ name: 'BarrierUnavailable', reason: 'invalid_response' });
    expect(sent).toHaveLength(2);
  });

  it('reads retry-after given as an HTTP date', async () => {
    const later = new Date(Date.now() + 30_000).toUTCString();
    const { client } = stubbed([jsonAnswer(503, { error: 'service_unavailable' }, { 'retry-after': later })]);

    const error = (await caught(() => client.list(SITE))) as BarrierUnavailableError;

    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('treats any other 4xx as rejected, keeping SmartParking’s code', async () => {
    const { client } = stubbed([jsonAnswer(403, { error: 'site_not_licensed' })]);

    expect(await caught(() => client.list(SITE))).toMatchObject({ name: 'BarrierRejected', code: 'site_not_licensed', status: 403 });
  });
});

describe('what the client sends', () => {
  it('asks for the key on every request, so a rotated key is picked up', async () => {
    const registered = { ...registration(), registeredAt: '2025-01-01T00:00:00.000Z' };
    const { client, sent } = stubbed([jsonAnswer(200, registered), () => new Response(null, { status: 204 })]);

    await client.register(registration());
    await client.revoke({ siteId: SITE, plate: 'AB12CDE' });

    expect(sent.map((s) => new Headers(s.init?.headers).get('x-api-key'))).toEqual(['key-1', 'key-2']);
  });

  it('PUTs the window and reference as JSON to the plate’s URL', async () => {
    const registered = { ...registration(), registeredAt: '2025-01-01T00:00:00.000Z' };
    const { client, sent } = stubbed([jsonAnswer(200, registered)]);

    await client.register(registration({ validTo: '2025-02-01T00:00:00.000Z' }));

    expect(sent[0]?.url).toBe(`https://smartparking.example/v1/sites/${SITE}/plates/AB12CDE`);
    expect(sent[0]?.init?.method).toBe('PUT');
    expect(JSON.parse(String(sent[0]?.init?.body))).toEqual({
      validFrom: '2025-01-01T00:00:00.000Z',
      validTo: '2025-02-01T00:00:00.000Z',
      reference: 'tenancy-1',
    });
  });
});
