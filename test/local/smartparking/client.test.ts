/** The SmartParking client against the simulator, over real HTTP. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BarrierRejectedError,
  BarrierSiteNotFoundError,
  BarrierUnavailableError,
} from '../../../functions/domain/barrier';
import type { SmartParkingSimulator } from '../../../local/smartparking/simulator';
import { API_KEY, SITE, caught, clientFor, registration, startSimulator } from './helpers';

let simulator: SmartParkingSimulator;

beforeEach(async () => {
  simulator = await startSimulator();
});

afterEach(async () => {
  await simulator.close();
});

describe('registering plates', () => {
  it('whitelists the plate at the site and returns the registration', async () => {
    const client = clientFor(simulator.url);

    const registered = await client.register(registration({ validTo: '2025-02-01T00:00:00.000Z' }));

    expect(registered).toMatchObject({
      siteId: SITE,
      plate: 'AB12CDE',
      validFrom: '2025-01-01T00:00:00.000Z',
      validTo: '2025-02-01T00:00:00.000Z',
      reference: 'tenancy-1',
    });
    expect(Date.parse(registered.registeredAt)).not.toBeNaN();
    expect(simulator.whitelist(SITE)).toEqual([registered]);
    expect(await client.get({ siteId: SITE, plate: 'AB12CDE' })).toEqual(registered);
  });

  it('replaces the window when the same plate is registered again', async () => {
    const client = clientFor(simulator.url);
    await client.register(registration({ validTo: null, reference: 'tenancy-1' }));

    await client.register(registration({ validTo: '2025-03-01T00:00:00.000Z', reference: 'tenancy-2' }));

    expect(simulator.whitelist(SITE)).toEqual([
      expect.objectContaining({ plate: 'AB12CDE', validTo: '2025-03-01T00:00:00.000Z', reference: 'tenancy-2' }),
    ]);
  });

  it('sends the site and plate URL-encoded', async () => {
    simulator.addSite('SITE/WITH SPACE');
    const client = clientFor(simulator.url);

    await client.register(registration({ siteId: 'SITE/WITH SPACE' }));

    expect(simulator.whitelist('SITE/WITH SPACE').map((r) => r.plate)).toEqual(['AB12CDE']);
  });
});

describe('revoking plates', () => {
  it('takes the plate off the whitelist', async () => {
    const client = clientFor(simulator.url);
    await client.register(registration({ plate: 'AB12CDE' }));
    await client.register(registration({ plate: 'XY34ZZZ' }));

    await client.revoke({ siteId: SITE, plate: 'AB12CDE' });

    expect(simulator.whitelist(SITE).map((r) => r.plate)).toEqual(['XY34ZZZ']);
    expect(await client.get({ siteId: SITE, plate: 'AB12CDE' })).toBeUndefined();
  });

  it('succeeds when the plate is already absent', async () => {
    const client = clientFor(simulator.url);

    await expect(client.revoke({ siteId: SITE, plate: 'NOTHERE1' })).resolves.toBeUndefined();

    expect(simulator.calls().map((c) => [c.method, c.status])).toEqual([['DELETE', 404]]);
  });
});

describe('listing plates', () => {
  it('follows the pages until the last one and returns every registration', async () => {
    const client = clientFor(simulator.url, { pageSize: 3 });
    const plates = ['AA11AAA', 'BB22BBB', 'CC33CCC', 'DD44DDD', 'EE55EEE', 'FF66FFF', 'GG77GGG'];
    for (const plate of plates) await client.register(registration({ plate }));
    simulator.clearCalls();

    const listed = await client.list(SITE);

    expect(listed.map((r) => r.plate)).toEqual(plates);
    const pages = simulator.calls();
    expect(pages).toHaveLength(3);
    expect(pages.every((c) => c.method === 'GET' && c.status === 200 && c.path.includes('limit=3'))).toBe(true);
  });

  it('returns an empty list for a site with no plates', async () => {
    expect(await clientFor(simulator.url).list(SITE)).toEqual([]);
  });
});

describe('requests SmartParking refuses', () => {
  it('fails with BarrierRejected (not retryable) when the API key is wrong', async () => {
    const client = clientFor(simulator.url, { apiKey: async () => `${API_KEY}-wrong` });

    const error = await caught(() => client.register(registration()));

    expect(error).toBeInstanceOf(BarrierRejectedError);
    expect(error).toMatchObject({ name: 'BarrierRejected', code: 'unauthorized', status: 401, retryable: false });
  });

  it('fails with BarrierSiteNotFound for an unknown site, whatever the operation', async () => {
    const client = clientFor(simulator.url);
    const elsewhere = { siteId: 'SP-NOWHERE', plate: 'AB12CDE' };

    for (const act of [
      () => client.register(registration({ siteId: 'SP-NOWHERE' })),
      () => client.revoke(elsewhere),
      () => client.list('SP-NOWHERE'),
      () => client.get(elsewhere),
    ]) {
      const error = await caught(act);
      expect(error).toBeInstanceOf(BarrierSiteNotFoundError);
      expect(error).toMatchObject({ name: 'BarrierSiteNotFound', siteId: 'SP-NOWHERE', retryable: false });
    }
  });

  it('fails with BarrierRejected carrying the code for an invalid plate', async () => {
    const error = await caught(() => clientFor(simulator.url).register(registration({ plate: 'ab 12' })));

    expect(error).toBeInstanceOf(BarrierRejectedError);
    expect(error).toMatchObject({ code: 'invalid_plate', status: 422 });
  });

  it('fails with BarrierRejected when the window ends before it starts', async () => {
    const error = await caught(() =>
      clientFor(simulator.url).register(registration({ validFrom: '2025-02-01T00:00:00Z', validTo: '2025-01-01T00:00:00Z' })),
    );

    expect(error).toMatchObject({ name: 'BarrierRejected', code: 'invalid_window', status: 422 });
  });
});

describe('when SmartParking is unavailable', () => {
  it('fails with BarrierUnavailable (retryable) on a 5xx', async () => {
    simulator.faults.set({ status: 500 });

    const error = await caught(() => clientFor(simulator.url).register(registration()));

    expect(error).toBeInstanceOf(BarrierUnavailableError);
    expect(error).toMatchObject({ name: 'BarrierUnavailable', reason: 'server_error', status: 500, retryable: true });
    expect(simulator.whitelist(SITE)).toEqual([]);
  });

  it('carries the retry-after of a 429', async () => {
    simulator.faults.set({ status: 429, retryAfterSeconds: 7 });

    const error = await caught(() => clientFor(simulator.url).revoke({ siteId: SITE, plate: 'AB12CDE' }));

    expect(error).toBeInstanceOf(BarrierUnavailableError);
    expect(error).toMatchObject({ reason: 'rate_limited', status: 429, retryAfterSeconds: 7 });
  });

  it('gives up on a hanging request after timeoutMs', async () => {
    simulator.faults.set({ timeoutRate: 1 });
    const client = clientFor(simulator.url, { timeoutMs: 200 });

    const startedAt = Date.now();
    const error = await caught(() => client.list(SITE));
    const elapsed = Date.now() - startedAt;

    expect(error).toBeInstanceOf(BarrierUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(1_500);
    // The simulator sees the client hang up.
    await vi.waitFor(() => expect(simulator.calls()).toEqual([expect.objectContaining({ fault: 'timeout', outcome: 'aborted' })]));
  });

  it('slows every answer by the latency switched on, and times out when it exceeds timeoutMs', async () => {
    const patient = clientFor(simulator.url, { timeoutMs: 3_000 });
    const hasty = clientFor(simulator.url, { timeoutMs: 100 });
    simulator.faults.set({ latencyMs: 300 });

    const startedAt = Date.now();
    await patient.register(registration());
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(await caught(() => hasty.list(SITE))).toMatchObject({ name: 'BarrierUnavailable', reason: 'timeout' });

    simulator.faults.clear();
    expect((await hasty.list(SITE)).map((r) => r.plate)).toEqual(['AB12CDE']);
  });

  it('obeys faults switched through the control endpoint from outside the process', async () => {
    const client = clientFor(simulator.url);
    const switched = await fetch(`${simulator.url}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, retryAfterSeconds: 3 }),
    });
    expect(switched.status).toBe(200);

    expect(await caught(() => client.list(SITE))).toMatchObject({ reason: 'server_error', status: 503, retryAfterSeconds: 3 });

    expect((await fetch(`${simulator.url}/_control/faults`, { method: 'DELETE' })).status).toBe(200);
    await expect(client.list(SITE)).resolves.toEqual([]);
  });

  it('fails with BarrierUnavailable when nothing listens at the address', async () => {
    const client = clientFor(simulator.url);
    await simulator.close();

    const error = await caught(() => client.get({ siteId: SITE, plate: 'AB12CDE' }));

    expect(error).toBeInstanceOf(BarrierUnavailableError);
    expect(error).toMatchObject({ reason: 'network', retryable: true });
  });
});
