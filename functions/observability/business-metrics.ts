/**
 * The platform's business metrics: what they are called and where CloudWatch files them. Kept
 * apart from the emitting code (metrics.ts) so the CDK's dashboard reads the same names without
 * loading Powertools.
 */

/** The CloudWatch namespace of every business metric. */
export const METRICS_NAMESPACE = 'CarparkTenancy';

/** The `service` dimension Powertools adds to every metric, unless POWERTOOLS_SERVICE_NAME says otherwise. */
export const DEFAULT_METRICS_SERVICE = 'carpark-tenancy';

/** Counts of business events, one data point per occurrence. */
export const BUSINESS_METRICS = [
  'TenancyActivated',
  'InvoicePaid',
  'InvoicePaymentFailed',
  'PlateRegistered',
  'PlateRevoked',
  'TenancySuspended',
  'TenancyReinstated',
  'InvoiceReattempted',
] as const;

export type BusinessMetric = (typeof BUSINESS_METRICS)[number];
