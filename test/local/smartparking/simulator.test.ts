/** The SmartParking simulator's contract, faults, persistence, page and control API, over raw HTTP. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlateRegistration } from '../../../functions/domain/barrier';
import type { SimulatorCall, SmartParkingSimulator } from '../../../local/smartparking/simulator';
import { API_KEY, SITE, startSimulator } from './helpers';

const running: SmartParkingSimulator[] = [];

async function start(options: Parameters<typeof startSimulator>[0] = {}): Promise<SmartParkingSimulator> {
  const simulator = await startSimulator(options);
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function api(simulator: SmartParkingSimulator, method: string, path: string, body?: unknown, key: string | null = API_KEY) {
  return fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      ...(key !== null && { 'x-api-key': key }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

interface ListPage {
  plates: PlateRegistration[];
  nextCursor: string | null;
}
const read = <T = { error: string }>(res: Response) => res.json() as Promise<T>;

const window = { validFrom: '2025-01-01T00:00:00Z', validTo: '2025-02-01T00:00:00Z', reference: 'tenancy-1' };
const platePath = (plate: string, site = SITE) => `/v1/sites/${site}/plates/${plate}`;

describe('authentication', () => {
  it('answers 401 unauthorized without a key or with a wrong one', async () => {
    const simulator = await start();

    for (const key of [null, 'wrong-key', '']) {
      const res = await api(simulator, 'GET', `/v1/sites/${SITE}/plates`, undefined, key);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    }
  });
});

describe('registering', () => {
  it('returns the same registration, registeredAt included, for an identical repeat', async () => {
    let clock = new Date('2025-01-10T09:00:00Z');
    const simulator = await start({ now: () => clock });

    const first = await (await api(simulator, 'PUT', platePath('AB12CDE'), window)).json();
    clock = new Date('2025-01-10T09:05:00Z');
    const repeat = await (await api(simulator, 'PUT', platePath('AB12CDE'), window)).json();
    const changed = await (await api(simulator, 'PUT', platePath('AB12CDE'), { ...window, validTo: null })).json();

    expect(first).toEqual({ siteId: SITE, plate: 'AB12CDE', ...window, registeredAt: '2025-01-10T09:00:00.000Z' });
    expect(repeat).toEqual(first);
    expect(changed).toMatchObject({ validTo: null, registeredAt: '2025-01-10T09:05:00.000Z' });
  });

  it.each([
    ['a plate that is not normalised', platePath('ab12cde'), window, 422, 'invalid_plate'],
    ['a missing reference', platePath('AB12CDE'), { validFrom: window.validFrom, validTo: null }, 422, 'invalid_registration'],
    ['a date that is not ISO 8601', platePath('AB12CDE'), { ...window, validFrom: '1 Jan 2025' }, 422, 'invalid_registration'],
    ['a window ending before it starts', platePath('AB12CDE'), { ...window, validTo: '2024-12-31T00:00:00Z' }, 422, 'invalid_window'],
    ['a body that is not JSON', platePath('AB12CDE'), '{not json', 400, 'invalid_json'],
  ])('refuses %s', async (_, path, body, status, error) => {
    const simulator = await start();

    const res = await api(simulator, 'PUT', path, body);

    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error });
    expect(simulator.whitelist(SITE)).toEqual([]);
  });

  it('answers 404 site_not_found for an unknown site, but accepts any site with autoCreateSites', async () => {
    const strict = await start();
    const lenient = await start({ sites: [], autoCreateSites: true });

    const refused = await api(strict, 'PUT', platePath('AB12CDE', 'SP-OTHER'), window);
    const accepted = await api(lenient, 'PUT', platePath('AB12CDE', 'SP-OTHER'), window);

    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: 'site_not_found' });
    expect(accepted.status).toBe(200);
    expect(lenient.sites()).toEqual(['SP-OTHER']);
  });
});

describe('reading and revoking', () => {
  it('answers 404 plate_not_found for a plate that is not whitelisted, and 204 once it was', async () => {
    const simulator = await start();
    await api(simulator, 'PUT', platePath('AB12CDE'), window);

    const deleted = await api(simulator, 'DELETE', platePath('AB12CDE'));
    const again = await api(simulator, 'DELETE', platePath('AB12CDE'));
    const read = await api(simulator, 'GET', platePath('AB12CDE'));

    expect(deleted.status).toBe(204);
    expect([again.status, await again.json()]).toEqual([404, { error: 'plate_not_found' }]);
    expect([read.status, await read.json()]).toEqual([404, { error: 'plate_not_found' }]);
  });
});

describe('listing', () => {
  async function withPlates(plates: string[]) {
    const simulator = await start();
    for (const plate of plates) await api(simulator, 'PUT', platePath(plate), window);
    return simulator;
  }

  it('pages in plate order with an opaque cursor, ending with nextCursor null', async () => {
    const simulator = await withPlates(['CC33CCC', 'AA11AAA', 'BB22BBB']);

    const first = await read<ListPage>(await api(simulator, 'GET', `/v1/sites/${SITE}/plates?limit=2`));
    const second = await read<ListPage>(await api(simulator, 'GET', `/v1/sites/${SITE}/plates?limit=2&cursor=${first.nextCursor}`));

    expect(first.plates.map((p) => p.plate)).toEqual(['AA11AAA', 'BB22BBB']);
    expect(typeof first.nextCursor).toBe('string');
    expect(second).toEqual({ plates: [expect.objectContaining({ plate: 'CC33CCC' })], nextCursor: null });
  });

  it('keeps the next page intact when a plate already served is revoked mid-listing', async () => {
    const simulator = await withPlates(['AA11AAA', 'BB22BBB', 'CC33CCC', 'DD44DDD']);

    const first = await read<ListPage>(await api(simulator, 'GET', `/v1/sites/${SITE}/plates?limit=2`));
    await api(simulator, 'DELETE', platePath('AA11AAA'));
    const second = await read<ListPage>(await api(simulator, 'GET', `/v1/sites/${SITE}/plates?limit=2&cursor=${first.nextCursor}`));

    expect(second.plates.map((p) => p.plate)).toEqual(['CC33CCC', 'DD44DDD']);
  });

  it('treats an empty cursor as the first page and refuses a bad limit or cursor', async () => {
    const simulator = await withPlates(['AA11AAA']);

    const emptyCursor = await api(simulator, 'GET', `/v1/sites/${SITE}/plates?cursor=&limit=`);
    const badLimit = await api(simulator, 'GET', `/v1/sites/${SITE}/plates?limit=500`);
    const badCursor = await api(simulator, 'GET', `/v1/sites/${SITE}/plates?cursor=%25%25`);

    expect((await read<ListPage>(emptyCursor)).plates).toHaveLength(1);
    expect([badLimit.status, (await read(badLimit)).error]).toEqual([400, 'invalid_limit']);
    expect([badCursor.status, (await read(badCursor)).error]).toEqual([400, 'invalid_cursor']);
  });
});

describe('faults', () => {
  async function statuses(simulator: SmartParkingSimulator, count: number): Promise<number[]> {
    const result: number[] = [];
    for (let i = 0; i < count; i += 1) result.push((await api(simulator, 'GET', `/v1/sites/${SITE}/plates`)).status);
    return result;
  }

  it('fails a share of requests, the same ones for the same seed', async () => {
    const one = await start({ seed: 42 });
    const other = await start({ seed: 42 });
    one.faults.set({ failureRate: 0.5 });
    other.faults.set({ failureRate: 0.5 });

    const sequence = await statuses(one, 40);

    expect(sequence).toEqual(await statuses(other, 40));
    expect(sequence.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(sequence.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(new Set(sequence)).toEqual(new Set([200, 503]));
  });

  it('replays the same sequence when the seed is set again', async () => {
    const simulator = await start();
    simulator.faults.set({ failureRate: 0.3, seed: 7 });
    const first = await statuses(simulator, 20);

    simulator.faults.set({ failureRate: 0.3, seed: 7 });

    expect(await statuses(simulator, 20)).toEqual(first);
  });

  it('answers 429 with retry-after, before even checking the key', async () => {
    const simulator = await start();
    simulator.faults.set({ status: 429, retryAfterSeconds: 12 });

    const res = await api(simulator, 'GET', `/v1/sites/${SITE}/plates`, undefined, null);

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('12');
    expect(await res.json()).toEqual({ error: 'rate_limited' });
  });

  it('leaves the page and the control API alone', async () => {
    const simulator = await start();
    simulator.faults.set({ status: 500 });

    expect((await fetch(`${simulator.url}/`)).status).toBe(200);
    expect((await fetch(`${simulator.url}/_control/whitelists`)).status).toBe(200);
    expect(simulator.calls()).toEqual([]);
  });

  it('refuses impossible settings, in code and over the control API', async () => {
    const simulator = await start();

    expect(() => simulator.faults.set({ failureRate: 2 })).toThrow();
    expect(() => simulator.faults.set({ failureRate: 0.6, timeoutRate: 0.6 })).toThrow();
    const res = await fetch(`${simulator.url}/_control/faults`, { method: 'POST', body: JSON.stringify({ latency: 100 }) });
    expect([res.status, (await read(res)).error]).toEqual([400, 'invalid_faults']);
    expect(simulator.faults.get()).toEqual({});
  });
});

describe('persistence', () => {
  it('keeps the whitelists across a restart when given a data file', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'smartparking-')), 'nested', 'whitelists.json');
    const before = await start({ dataFile });
    await api(before, 'PUT', platePath('AB12CDE'), window);
    await api(before, 'PUT', platePath('XY34ZZZ'), window);
    await api(before, 'DELETE', platePath('XY34ZZZ'));
    const saved = before.whitelist(SITE);
    await before.close();

    const after = await start({ dataFile, sites: [] });

    expect(after.whitelist(SITE)).toEqual(saved);
    expect(after.sites()).toEqual([SITE]);
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).sites[SITE]).toEqual(saved);
  });

  it('refuses to start on a damaged data file rather than overwrite it', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'smartparking-')), 'whitelists.json');
    writeFileSync(dataFile, '{"sites": [oops');

    await expect(startSimulator({ dataFile })).rejects.toThrow(/not a valid whitelist file/);
    expect(readFileSync(dataFile, 'utf8')).toBe('{"sites": [oops');
  });
});

describe('page and control API', () => {
  it('shows each site and its plates on the home page, escaping what it shows', async () => {
    const simulator = await start({ sites: [SITE, 'SP-EMPTY'] });
    await api(simulator, 'PUT', platePath('AB12CDE'), { ...window, reference: '<script>x</script>' });

    const res = await fetch(`${simulator.url}/`);
    const html = await res.text();

    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain(`Site ${SITE}`);
    expect(html).toContain('AB12CDE');
    expect(html).toContain('Site SP-EMPTY');
    expect(html).not.toContain('<script>');
  });

  it('lists the whitelists and the calls as JSON', async () => {
    const simulator = await start();
    await api(simulator, 'PUT', platePath('AB12CDE'), window);

    const whitelists = await (await fetch(`${simulator.url}/_control/whitelists`)).json();
    const { calls } = await read<{ calls: SimulatorCall[] }>(await fetch(`${simulator.url}/_control/calls`));

    expect(whitelists).toEqual({ sites: { [SITE]: simulator.whitelist(SITE) } });
    expect(calls).toEqual([
      expect.objectContaining({ method: 'PUT', path: platePath('AB12CDE'), status: 200, outcome: 'answered', fault: 'none' }),
    ]);
  });
});
