import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
  type FieldIssue,
} from '../domain/errors';
import { PaymentDeclinedError, PaymentProviderUnavailableError } from '../domain/billing';
import { BarrierUnavailableError } from '../domain/barrier';
import { CorporateInvoicesUnavailableError } from '../domain/corporate-billing';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Errors that belong to HTTP itself (framing, size, media type), not to the domain. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): HttpResult {
  return body === undefined
    ? { statusCode: status, headers: { ...JSON_HEADERS, ...headers } }
    : { statusCode: status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

function errorBody(code: string, message: string, details?: readonly FieldIssue[]) {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}) } };
}

/** zod issues as field paths a client can show next to its form fields. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'Unknown field.' }));
    }
    return [{ path: base, message: issue.message }];
  });
}

const STATUS_BY_ERROR: [new (...args: never[]) => DomainError, number][] = [
  [ValidationError, 422],
  [InvalidRequestError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [TooManyRequestsError, 429],
];

/**
 * The one place errors become responses. Anything unexpected is a 500 with a generic message:
 * its details go to the log (with the request id the client is given), never to the client.
 */
export function errorResponse(error: unknown, requestId: string, log: (e: unknown) => void): HttpResult {
  if (error instanceof HttpError) return json(error.status, errorBody(error.code, error.message));
  if (error instanceof DomainError) {
    const status = STATUS_BY_ERROR.find(([type]) => error instanceof type)?.[1] ?? 400;
    const details = error instanceof ValidationError ? error.issues : undefined;
    const headers: Record<string, string> = {};
    if (error instanceof TooManyRequestsError) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof UnauthenticatedError) headers['www-authenticate'] = 'Bearer';
    return json(status, errorBody(error.code, error.message, details), headers);
  }
  if (error instanceof PaymentDeclinedError) return json(402, errorBody('card_declined', error.message || 'The card was declined.'));
  if (
    error instanceof PaymentProviderUnavailableError ||
    error instanceof BarrierUnavailableError ||
    error instanceof CorporateInvoicesUnavailableError
  ) {
    log(error);
    return json(503, errorBody('dependency_unavailable', 'A service we depend on is not answering. Try again in a minute.'), { 'retry-after': '30' });
  }
  log(error);
  return json(
    500,
    errorBody('internal_error', `Something went wrong on our side. If it keeps happening, contact support quoting ${requestId}.`),
  );
}
