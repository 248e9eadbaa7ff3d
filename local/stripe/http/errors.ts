import type { JsonObject } from '../types';

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error';

interface ErrorDetails {
  status?: number;
  code?: string;
  param?: string;
  declineCode?: string;
  /** Extra fields Stripe adds to some errors (e.g. `setup_intent`, `payment_method`). */
  extra?: JsonObject;
  /** Whether an idempotent replay should return this error (true once the endpoint began executing). */
  replayable?: boolean;
}

/** An error in Stripe's wire shape: `{ error: { type, code, message, param, doc_url, ... } }`. */
export class StripeApiError extends Error {
  readonly status: number;
  readonly type: StripeErrorType;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly declineCode: string | undefined;
  readonly extra: JsonObject | undefined;
  readonly replayable: boolean;

  constructor(type: StripeErrorType, message: string, details: ErrorDetails = {}) {
    super(message);
    this.type = type;
    this.status = details.status ?? (type === 'card_error' ? 402 : type === 'api_error' ? 500 : 400);
    this.code = details.code;
    this.param = details.param;
    this.declineCode = details.declineCode;
    this.extra = details.extra;
    this.replayable = details.replayable ?? type === 'card_error';
  }

  toBody(requestId: string): JsonObject {
    const error: JsonObject = { type: this.type, message: this.message };
    if (this.code !== undefined) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replaceAll('_', '-')}`;
    }
    if (this.declineCode !== undefined) error.decline_code = this.declineCode;
    if (this.param !== undefined) error.param = this.param;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error: { ...error, ...this.extra } };
  }
}

export function invalidRequest(message: string, details: ErrorDetails = {}): StripeApiError {
  return new StripeApiError('invalid_request_error', message, details);
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function unknownParam(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

/** Stripe names the object by its resource type: "No such customer: 'cus_123'". */
export function resourceMissing(noun: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${noun}: '${id}'`, { status: 404, code: 'resource_missing', param });
}

export function cardDeclined(declineCode: string, message: string, extra?: JsonObject): StripeApiError {
  return new StripeApiError('card_error', message, { code: 'card_declined', declineCode, extra, replayable: true });
}

/** The bank asks the cardholder to authenticate (3-D Secure): the payment waits for them. */
export function authenticationRequired(message: string, extra?: JsonObject): StripeApiError {
  return new StripeApiError('card_error', message, { code: 'invoice_payment_intent_requires_action', declineCode: 'authentication_required', extra, replayable: true });
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(
    'idempotency_error',
    `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  );
}

export function idempotencyInFlight(): StripeApiError {
  return new StripeApiError(
    'idempotency_error',
    'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.',
    { status: 409, code: 'idempotency_key_in_use' },
  );
}
