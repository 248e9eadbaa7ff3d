/**
 * A local SmartParking: the vendor's plate-whitelist API (docs/smartparking.md) over real HTTP,
 * with switchable faults, a log of the calls it received, a read-only HTML page at `/` and a
 * JSON control API under `/_control` so faults can be switched from outside the process.
 *
 * The control API and the page need no key: the simulator listens on loopback only by default.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { PlateRegistration } from '../../functions/domain/barrier';
import { listen } from '../ports';
import { readBody as readBoundedBody, secretMatcher, write, type Reply } from '../simulator-http';
import { DEFAULT_FAULT_SEED, Faults, faultSettingsSchema, type FaultDecision, type FaultSettings } from './faults';
import { renderWhitelistPage } from './page';
import { WhitelistStore } from './store';

export type { FaultSettings } from './faults';

export interface SmartParkingSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The key clients must send in `x-api-key`. */
  readonly apiKey: string;
  /** Known site ids; requests for any other site get 404 `site_not_found`. */
  readonly sites?: readonly string[];
  /** Every site id exists (its whitelist starts empty). */
  readonly autoCreateSites?: boolean;
  /** JSON file keeping the whitelists across restarts; in memory only when omitted. */
  readonly dataFile?: string;
  /** Seed of the generator deciding which requests fail (default 1). */
  readonly seed?: number;
  /** The vendor's clock, for `registeredAt` and the page. */
  readonly now?: () => Date;
  /** One line per API request, e.g. `PUT /v1/sites/S1/plates/AB12CDE 200 3 ms`. */
  readonly log?: (line: string) => void;
}

export interface SimulatorCall {
  /** When the request arrived (ISO 8601). */
  readonly at: string;
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  readonly fault: 'none' | 'failure' | 'timeout';
  /** `answered` with `status`; `aborted` if the client hung up first; `pending` until then. */
  readonly outcome: 'pending' | 'answered' | 'aborted';
  readonly status: number | null;
  readonly durationMs: number | null;
}

export interface SmartParkingSimulator {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections, hanging ones included. Safe to call twice. */
  close(): Promise<void>;
  /** The site's registrations, ordered by plate; empty for an unknown site. */
  whitelist(siteId: string): PlateRegistration[];
  /** Site ids known so far. */
  sites(): string[];
  addSite(siteId: string): void;
  readonly faults: {
    /** Replaces the fault settings; throws on invalid ones. */
    set(settings: FaultSettings): void;
    clear(): void;
    get(): FaultSettings;
  };
  /** API requests received (not the page or the control API), oldest first; the last 1000 kept. */
  calls(): SimulatorCall[];
  clearCalls(): void;
}

const MAX_CALLS_KEPT = 1000;
const MAX_BODY_BYTES = 64 * 1024;
export const PAGE_LIMIT = { default: 50, max: 100 } as const;
/** The vendor's plate rule: already normalised by the caller. */
const VENDOR_PLATE = /^[A-Z0-9]{1,12}$/;

const registerBodySchema = z.object({
  validFrom: z.iso.datetime({ offset: true }),
  validTo: z.iso.datetime({ offset: true }).nullable(),
  reference: z.string().min(1).max(200),
});

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: JSON.stringify(value),
  contentType: 'application/json',
});
const noContent = (): Reply => ({ status: 204 });

export async function startSmartParkingSimulator(options: SmartParkingSimulatorOptions): Promise<SmartParkingSimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const store = new WhitelistStore(options);
  const faults = new Faults(options.seed ?? DEFAULT_FAULT_SEED);
  const matchesKey = secretMatcher(options.apiKey);
  const timers = new Set<NodeJS.Timeout>();
  let calls: Array<{ -readonly [K in keyof SimulatorCall]: SimulatorCall[K] }> = [];

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/v1/')) {
      handleApi(request, response, url);
      return;
    }
    handleOther(request, url)
      .then((reply) => write(response, reply))
      .catch((error: unknown) => write(response, json(500, { error: 'internal_error', message: String(error) })));
  });

  function handleApi(request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
    const startedAt = Date.now();
    const decision = faults.decide();
    const call: (typeof calls)[number] = {
      at: new Date(startedAt).toISOString(),
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      fault: decision.kind,
      outcome: 'pending',
      status: null,
      durationMs: null,
    };
    calls.push(call);
    if (calls.length > MAX_CALLS_KEPT) calls = calls.slice(-MAX_CALLS_KEPT);

    response.on('close', () => {
      call.durationMs = Date.now() - startedAt;
      if (response.writableFinished) {
        call.outcome = 'answered';
        call.status = response.statusCode;
        options.log?.(`${call.method} ${call.path} ${response.statusCode} ${call.durationMs} ms`);
      } else {
        call.outcome = 'aborted';
        options.log?.(`${call.method} ${call.path} aborted by the client after ${call.durationMs} ms`);
      }
    });

    const act = () => {
      if (response.destroyed) return;
      // A simulated timeout: read nothing, answer nothing, until the client gives up.
      if (decision.kind === 'timeout') return;
      answerApi(request, url, decision)
        .then((reply) => write(response, reply))
        .catch((error: unknown) => write(response, json(500, { error: 'internal_error', message: String(error) })));
    };
    if (decision.latencyMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        act();
      }, decision.latencyMs);
      timers.add(timer);
    } else {
      act();
    }
  }

  async function answerApi(request: http.IncomingMessage, url: URL, decision: FaultDecision): Promise<Reply> {
    if (decision.kind === 'failure') return faultReply(decision.status, decision.retryAfterSeconds);
    if (!authorised(request.headers['x-api-key'])) return json(401, { error: 'unauthorized' });

    const route = matchRoute(url.pathname);
    if (route === 'bad-path') return json(400, { error: 'invalid_path' });
    if (!route) return json(404, { error: 'not_found' });
    const { siteId, plate } = route;
    const method = request.method ?? 'GET';
    const allowed = plate === undefined ? ['GET'] : ['GET', 'PUT', 'DELETE'];
    if (!allowed.includes(method)) return json(405, { error: 'method_not_allowed' }, { allow: allowed.join(', ') });

    if (!store.hasSite(siteId)) return json(404, { error: 'site_not_found' });
    if (plate === undefined) return listPlates(siteId, url.searchParams);
    if (method === 'GET') {
      const found = store.get(siteId, plate);
      return found ? json(200, found) : json(404, { error: 'plate_not_found' });
    }
    if (method === 'DELETE') return store.delete(siteId, plate) ? noContent() : json(404, { error: 'plate_not_found' });

    if (!VENDOR_PLATE.test(plate)) {
      return json(422, { error: 'invalid_plate', message: 'A plate is 1–12 characters A–Z and 0–9, without spaces.' });
    }
    const body = await readBoundedBody(request, MAX_BODY_BYTES);
    if (body === 'too-large') return json(413, { error: 'payload_too_large' });
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(body);
    } catch {
      return json(400, { error: 'invalid_json' });
    }
    const parsed = registerBodySchema.safeParse(parsedJson);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return json(422, { error: 'invalid_registration', issues });
    }
    const { validFrom, validTo, reference } = parsed.data;
    if (validTo !== null && Date.parse(validTo) <= Date.parse(validFrom)) {
      return json(422, { error: 'invalid_window', message: 'validTo must be after validFrom.' });
    }
    const existing = store.get(siteId, plate);
    // An identical repeat changes nothing, so it returns exactly what the first call returned.
    if (existing && existing.validFrom === validFrom && existing.validTo === validTo && existing.reference === reference) {
      return json(200, existing);
    }
    const registration: PlateRegistration = { siteId, plate, validFrom, validTo, reference, registeredAt: now().toISOString() };
    store.put(registration);
    return json(200, registration);
  }

  function listPlates(siteId: string, query: URLSearchParams): Reply {
    const limitText = query.get('limit') ?? '';
    const limit = limitText === '' ? PAGE_LIMIT.default : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT.max) {
      return json(400, { error: 'invalid_limit', message: `limit is a whole number from 1 to ${PAGE_LIMIT.max}.` });
    }
    const cursor = query.get('cursor') ?? '';
    let after: string | undefined;
    if (cursor !== '') {
      after = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!VENDOR_PLATE.test(after)) return json(400, { error: 'invalid_cursor' });
    }
    // The cursor is the last plate served, so a page is stable while plates come and go.
    const { plates, more } = store.page(siteId, after, limit);
    const last = plates.at(-1);
    const nextCursor = more && last ? Buffer.from(last.plate, 'utf8').toString('base64url') : null;
    return json(200, { plates, nextCursor });
  }

  async function handleOther(request: http.IncomingMessage, url: URL): Promise<Reply> {
    const method = request.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: renderWhitelistPage(
            store.siteIds().map((siteId) => [siteId, store.list(siteId)] as const),
            faults.get(),
            now(),
          ),
        };
      case 'GET /_control/whitelists':
        return json(200, { sites: Object.fromEntries(store.siteIds().map((siteId) => [siteId, store.list(siteId)])) });
      case 'GET /_control/faults':
        return json(200, { faults: faults.get() });
      case 'POST /_control/faults': {
        const body = await readBoundedBody(request, MAX_BODY_BYTES);
        if (body === 'too-large') return json(413, { error: 'payload_too_large' });
        let value: unknown;
        try {
          value = body.trim() === '' ? {} : JSON.parse(body);
        } catch {
          return json(400, { error: 'invalid_json' });
        }
        const parsed = faultSettingsSchema.safeParse(value);
        if (!parsed.success) {
          return json(400, { error: 'invalid_faults', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
        }
        return json(200, { faults: faults.set(parsed.data) });
      }
      case 'DELETE /_control/faults':
        faults.clear();
        return json(200, { faults: faults.get() });
      case 'GET /_control/calls':
        return json(200, { calls: snapshotCalls() });
      default:
        return json(404, { error: 'not_found' });
    }
  }

  function authorised(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    return matchesKey(header);
  }

  function snapshotCalls(): SimulatorCall[] {
    return calls.map((call) => ({ ...call }));
  }

  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging requests would otherwise keep the server open forever.
        server.closeAllConnections();
      });
      return closing;
    },
    whitelist: (siteId) => store.list(siteId),
    sites: () => store.siteIds(),
    addSite: (siteId) => store.addSite(siteId),
    faults: {
      set: (settings) => void faults.set(settings),
      clear: () => faults.clear(),
      get: () => faults.get(),
    },
    calls: snapshotCalls,
    clearCalls: () => {
      calls = [];
    },
  };
}

/** `/v1/sites/{siteId}/plates[/{plate}]`, with each segment URL-decoded. */
function matchRoute(pathname: string): { siteId: string; plate?: string } | 'bad-path' | undefined {
  const segments = pathname.split('/').slice(1);
  if (segments[0] !== 'v1' || segments[1] !== 'sites' || segments[3] !== 'plates') return undefined;
  if (segments.length !== 4 && segments.length !== 5) return undefined;
  try {
    const siteId = decodeURIComponent(segments[2] ?? '');
    const plate = segments[4] === undefined ? undefined : decodeURIComponent(segments[4]);
    if (siteId === '' || plate === '') return undefined;
    return plate === undefined ? { siteId } : { siteId, plate };
  } catch {
    return 'bad-path';
  }
}

function faultReply(status: number, retryAfterSeconds: number): Reply {
  const error = status === 429 ? 'rate_limited' : status === 503 ? 'service_unavailable' : status >= 500 ? 'internal_error' : 'simulated_fault';
  const headers: Record<string, string> = status === 429 || status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {};
  return json(status, { error }, headers);
}
