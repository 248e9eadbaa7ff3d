/**
 * SmartParking's REST API as the domain's BarrierAccess (contract: docs/smartparking.md).
 *
 * Each request has its own timeout and every failure becomes a typed barrier error. Nothing is
 * retried here: the calling workflow owns retries, with backoff and jitter, so a retry storm
 * cannot start inside a Lambda that is itself retried.
 */
import * as z from 'zod/mini';
import '../../zod-messages';
import {
  BarrierRejectedError,
  BarrierSiteNotFoundError,
  BarrierUnavailableError,
  type BarrierAccess,
  type PlateKey,
  type PlateRegistration,
  type RegisterPlate,
} from '../../domain/barrier';
import { ENV, requireEnv } from '../../environment';
import { describeError, fetchAnswer, isTimeout, parseJson, parseRetryAfter, type Answer } from '../http';
import { getSecretString } from '../secrets';

export interface SmartParkingClientOptions {
  /** e.g. `https://api.smartparking.example`; a trailing slash is ignored. */
  readonly baseUrl: string;
  /** Called per request, so a cached secret can rotate underneath. */
  readonly apiKey: () => Promise<string>;
  /** Per HTTP request, including reading the body; a `list` of n pages may take n times this. */
  readonly timeoutMs?: number;
  /** Page size asked for when listing (SmartParking allows 1–100). */
  readonly pageSize?: number;
  readonly fetch?: typeof fetch;
}

export type SmartParkingClient = Required<BarrierAccess>;

/** The registration as SmartParking's API returns it (the simulator answers with the same shape). */
export const registrationSchema = z.object({
  siteId: z.string(),
  plate: z.string(),
  validFrom: z.string(),
  validTo: z.nullable(z.string()),
  reference: z.string(),
  registeredAt: z.string(),
});

const pageSchema = z.object({
  plates: z.array(registrationSchema),
  nextCursor: z.nullable(z.string()),
});

const errorBodySchema = z.object({ error: z.string() });

type Operation = 'register' | 'revoke' | 'list' | 'get';

export function createSmartParkingClient(options: SmartParkingClientOptions): SmartParkingClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3000;
  const pageSize = options.pageSize ?? 100;
  const fetchImpl = options.fetch ?? fetch;

  const platesPath = (siteId: string) => `/v1/sites/${encodeURIComponent(siteId)}/plates`;
  const platePath = ({ siteId, plate }: PlateKey) => `${platesPath(siteId)}/${encodeURIComponent(plate)}`;

  async function send(operation: Operation, method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-api-key': await options.apiKey() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetchAnswer(fetchImpl, `${baseUrl}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) }, timeoutMs);
    } catch (error) {
      throw transportFailure(operation, method, path, timeoutMs, error);
    }
  }

  return {
    async register(input: RegisterPlate): Promise<PlateRegistration> {
      const { siteId, plate, validFrom, validTo, reference } = input;
      const answer = await send('register', 'PUT', platePath(input), { validFrom, validTo, reference });
      if (answer.status === 200) return parse(answer, registrationSchema, 'register');
      throw failure(answer, { operation: 'register', siteId, plate });
    },

    async revoke(key: PlateKey): Promise<void> {
      const answer = await send('revoke', 'DELETE', platePath(key));
      if (answer.status === 204 || answer.status === 200) return;
      // Only SmartParking's own "not there" counts as done; a bare 404 (e.g. a wrong base URL)
      // must not be mistaken for a revoked plate.
      if (answer.status === 404 && errorCode(answer) === 'plate_not_found') return;
      throw failure(answer, { operation: 'revoke', ...key });
    },

    async list(siteId: string): Promise<PlateRegistration[]> {
      const registrations: PlateRegistration[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (cursor !== null) query.set('cursor', cursor);
        const answer = await send('list', 'GET', `${platesPath(siteId)}?${query.toString()}`);
        if (answer.status !== 200) throw failure(answer, { operation: 'list', siteId });
        const page = parse(answer, pageSchema, 'list');
        registrations.push(...page.plates);
        cursor = page.nextCursor;
        if (cursor !== null) {
          if (seenCursors.has(cursor)) {
            throw new BarrierUnavailableError(`SmartParking repeated a page cursor listing site ${siteId}.`, {
              reason: 'invalid_response',
              status: answer.status,
            });
          }
          seenCursors.add(cursor);
        }
      } while (cursor !== null);
      return registrations;
    },

    async get(key: PlateKey): Promise<PlateRegistration | undefined> {
      const answer = await send('get', 'GET', platePath(key));
      if (answer.status === 200) return parse(answer, registrationSchema, 'get');
      if (answer.status === 404 && errorCode(answer) === 'plate_not_found') return undefined;
      throw failure(answer, { operation: 'get', ...key });
    },
  };
}

function transportFailure(operation: Operation, method: string, path: string, timeoutMs: number, error: unknown): BarrierUnavailableError {
  return isTimeout(error)
    ? new BarrierUnavailableError(`SmartParking ${operation} (${method} ${path}) timed out after ${timeoutMs} ms.`, {
        reason: 'timeout',
        cause: error,
      })
    : new BarrierUnavailableError(`SmartParking ${operation} (${method} ${path}) failed: ${describeError(error)}.`, {
        reason: 'network',
        cause: error,
      });
}

/** Maps a non-success answer to the error the workflow acts on. */
function failure(answer: Answer, context: { operation: Operation; siteId: string; plate?: string }): Error {
  const { status } = answer;
  const code = errorCode(answer);
  const subject = context.plate === undefined ? `site ${context.siteId}` : `plate ${context.plate} at site ${context.siteId}`;

  if (status === 404 && code === 'site_not_found') return new BarrierSiteNotFoundError(context.siteId);
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterSeconds = parseRetryAfter(answer.headers.get('retry-after'));
    const reason = status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'server_error';
    const wait = retryAfterSeconds === undefined ? '' : `; retry after ${retryAfterSeconds} s`;
    return new BarrierUnavailableError(`SmartParking ${context.operation} for ${subject} answered ${status}${wait}.`, {
      reason,
      status,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    });
  }
  const effectiveCode = code ?? `http_${status}`;
  return new BarrierRejectedError(
    `SmartParking rejected ${context.operation} for ${subject}: ${status} ${effectiveCode}.`,
    effectiveCode,
    status,
  );
}

function errorCode(answer: Answer): string | undefined {
  return parseJson(answer.text, errorBodySchema)?.error;
}

function parse<T>(answer: Answer, schema: z.ZodMiniType<T>, operation: Operation): T {
  const parsed = parseJson(answer.text, schema);
  if (parsed !== undefined) return parsed;
  // Registering is idempotent, so retrying after an unreadable success is safe.
  throw new BarrierUnavailableError(`SmartParking ${operation} answered ${answer.status} with a body that does not match the contract.`, {
    reason: 'invalid_response',
    status: answer.status,
  });
}

let defaultClient: SmartParkingClient | undefined;

/** Built on first use, so importing this module needs no environment (tests, synthesis). */
function smartParking(): SmartParkingClient {
  defaultClient ??= createSmartParkingClient({
    baseUrl: requireEnv(ENV.smartParkingBaseUrl),
    apiKey: () => getSecretString(requireEnv(ENV.smartParkingApiKeyId)),
  });
  return defaultClient;
}

/** The production barrier: SMARTPARKING_BASE_URL, with the API key from Secrets Manager. */
export const smartParkingBarrier: SmartParkingClient = {
  register: async (input) => smartParking().register(input),
  revoke: async (key) => smartParking().revoke(key),
  list: async (siteId) => smartParking().list(siteId),
  get: async (key) => smartParking().get(key),
};
