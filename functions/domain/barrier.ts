/**
 * The barrier port: whitelisting a tenant's plate at a car park's ANPR barrier (SmartParking)
 * and taking it off again. The SmartParking adapter implements it over HTTP; tests may use an
 * in-memory one.
 *
 * Failures are typed so the tenancy workflow can decide what to do without parsing messages.
 * Step Functions Retry/Catch match on the `name` of the error a Lambda task throws (it becomes
 * the task's `Error`), so each class sets a fixed name rather than relying on the constructor's,
 * which a bundler may rename. See docs/smartparking.md for the Retry/Catch to use.
 */

export interface PlateRegistration {
  readonly siteId: string;
  /** Normalised plate (see plates.ts). */
  readonly plate: string;
  /** ISO 8601 instant from which the barrier opens for this plate. */
  readonly validFrom: string;
  /** ISO 8601 instant after which it stops opening; null for open-ended. */
  readonly validTo: string | null;
  /** Our reference, e.g. the tenancy id, so a registration can be traced back. */
  readonly reference: string;
  /** When SmartParking recorded this window. */
  readonly registeredAt: string;
}

export type RegisterPlate = Omit<PlateRegistration, 'registeredAt'>;

export interface PlateKey {
  readonly siteId: string;
  readonly plate: string;
}

export interface BarrierAccess {
  /** Whitelists the plate, or replaces its window and reference if already there. Idempotent. */
  register(input: RegisterPlate): Promise<PlateRegistration>;
  /** Takes the plate off the whitelist. Succeeds if it was not there. Idempotent. */
  revoke(key: PlateKey): Promise<void>;
  /** Every registration at the site, across all pages. */
  list(siteId: string): Promise<PlateRegistration[]>;
  /** One registration; undefined if the plate is not whitelisted at the site. */
  get?(key: PlateKey): Promise<PlateRegistration | undefined>;
}

/** The `name` of each barrier error, as Step Functions sees it in `Error`. */
export const BARRIER_ERROR_NAMES = {
  unavailable: 'BarrierUnavailable',
  rejected: 'BarrierRejected',
  siteNotFound: 'BarrierSiteNotFound',
} as const;

export abstract class BarrierError extends Error {
  /** True when the same call may succeed later; the workflow retries with backoff. */
  abstract readonly retryable: boolean;
}

export type UnavailableReason = 'server_error' | 'rate_limited' | 'timeout' | 'network' | 'invalid_response';

/**
 * SmartParking could not be reached or could not answer: 5xx, 429, a timeout, a network failure,
 * or a success response we could not read. Retryable — registering and revoking are idempotent.
 */
export class BarrierUnavailableError extends BarrierError {
  override readonly name = BARRIER_ERROR_NAMES.unavailable;
  readonly retryable = true;
  readonly reason: UnavailableReason;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** How long SmartParking asked us to wait (429, 503), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    details: { reason: UnavailableReason; status?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.reason = details.reason;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * SmartParking refused the request (4xx: bad key, invalid plate, malformed window). Retrying
 * the same request will not help; someone has to fix the data or the configuration.
 */
export class BarrierRejectedError extends BarrierError {
  override readonly name = BARRIER_ERROR_NAMES.rejected;
  readonly retryable = false;

  constructor(
    message: string,
    /** SmartParking's error code, e.g. `unauthorized`, `invalid_plate`; `http_<status>` if it gave none. */
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** SmartParking does not know the site: the car park's SmartParking site id is wrong. Not retryable. */
export class BarrierSiteNotFoundError extends BarrierError {
  override readonly name = BARRIER_ERROR_NAMES.siteNotFound;
  readonly retryable = false;

  constructor(readonly siteId: string) {
    super(`SmartParking has no site ${siteId}.`);
  }
}
