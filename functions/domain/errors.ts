/**
 * Typed domain errors. The domain raises them; the HTTP adapter maps each class to a status code
 * in one place (functions/http/errors.ts). Messages are safe to show to the caller.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `address.postcode`; empty for the whole body. */
  readonly path: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is well-formed but breaks a rule (422). */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(message, issues);
  }
}

/** The request cannot be acted on as sent, e.g. an unknown or expired reset token (400). */
export class InvalidRequestError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** No identity, or a bad one (401). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  constructor(message = 'Sign in to continue.') {
    super(message);
  }
}

/** The caller is known but their role does not allow this (403). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  constructor(message = 'You are not allowed to do this.') {
    super(message);
  }
}

/**
 * Missing, or not the caller's to see (404). Used for other tenants' and operators' objects too,
 * so that existence does not leak.
 */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(what: string) {
    super(`${what} not found.`);
  }
}

/** The request conflicts with the current state, e.g. an email already taken (409). */
export class ConflictError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Too many attempts; try again after `retryAfterSeconds` (429). */
export class TooManyRequestsError extends DomainError {
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
