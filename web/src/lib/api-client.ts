/**
 * The one way the portal reaches the API: `openapi-fetch` over the types generated from the
 * OpenAPI document (src/lib/api/schema.d.ts), so a call that no longer fits the contract fails to
 * compile. Same origin as the pages (CloudFront on AWS, the twin locally): relative paths, no CORS.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api/schema';
import type { ErrorBody } from './api/types';
import { readSession, writeSession } from './session';

export const api = createClient<paths>({ baseUrl: window.location.origin });

api.use({
  onRequest({ request }) {
    const session = readSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response, request }) {
    // An expired or revoked token: forget it, so pages ask to log in again.
    if (response.status === 401 && request.headers.has('authorization')) writeSession(null);
    return response;
  },
});


/** An API error in the API's one shape, with its field messages keyed by field path. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** `plate` → message, `address.line1` → message; empty when the error is not about fields. */
  readonly fields: Readonly<Record<string, string>>;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: Partial<ErrorBody> | undefined, retryAfter?: string | null) {
    const error = body?.error;
    super(error?.message ?? (status >= 500 ? 'The service is unavailable; try again shortly.' : `Request failed (${status}).`));
    this.name = 'ApiError';
    this.status = status;
    this.code = error?.code ?? 'unknown';
    const fields: Record<string, string> = {};
    for (const detail of error?.details ?? []) fields[detail.path] ??= detail.message;
    this.fields = fields;
    const seconds = Number(retryAfter);
    this.retryAfterSeconds = retryAfter && Number.isFinite(seconds) ? seconds : undefined;
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; throws {@link ApiError} for any other answer. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: 'Could not reach the service. Check your connection and try again.' } });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  throw new ApiError(response.status, error as Partial<ErrorBody> | undefined, response.headers.get('retry-after'));
}
