/**
 * Names of the environment variables every function may read. The CDK function construct and
 * the offline twin set them; adapters read them. Secrets are never values here, only their ids.
 */
export const ENV = {
  /** The single DynamoDB table. */
  tableName: 'TABLE_NAME',
  /** Secrets Manager id (ARN or name) of the JWT signing key. */
  jwtSecretId: 'JWT_SECRET_ID',
  /** Verified SES sender address. */
  senderEmail: 'SENDER_EMAIL',
  /** Where contact messages go when they are not about one car park; the sender address if unset. */
  supportEmail: 'SUPPORT_EMAIL',
  /** Where admins are told of work waiting for them (a new operator application): the alarm address. */
  adminAlertEmail: 'ADMIN_ALERT_EMAIL',
  /** Base URL of the web site, for links in emails (password reset). */
  webBaseUrl: 'WEB_BASE_URL',
  /** Deployment stage, for logs. */
  stage: 'STAGE',
  /** Secrets Manager id of the Stripe secret API key. */
  stripeSecretKeyId: 'STRIPE_SECRET_KEY_ID',
  /** Secrets Manager id of the Stripe webhook signing secret. */
  stripeWebhookSecretId: 'STRIPE_WEBHOOK_SECRET_ID',
  /** Stripe API base URL; unset means Stripe itself (https://api.stripe.com). */
  stripeApiUrl: 'STRIPE_API_URL',
  /** Stripe publishable key (`pk_...`) for card entry in the browser: configuration, not a secret. */
  stripePublishableKey: 'STRIPE_PUBLISHABLE_KEY',
  /** Where browsers load Stripe.js from (https://js.stripe.com/v3/; the stand-in's script in the twin). */
  stripeJsUrl: 'STRIPE_JS_URL',
  /** SmartParking (ANPR barrier whitelist) API base URL. */
  smartParkingBaseUrl: 'SMARTPARKING_BASE_URL',
  /** Secrets Manager id of the SmartParking API key. */
  smartParkingApiKeyId: 'SMARTPARKING_API_KEY_ID',
  /** Secrets Manager id of the Xero custom connection's credentials, JSON `{ clientId, clientSecret }`. */
  xeroCredentialsSecretId: 'XERO_CREDENTIALS_SECRET_ID',
  /** Xero Accounting API base URL; unset means Xero itself (https://api.xero.com). */
  xeroApiUrl: 'XERO_API_URL',
  /** Xero identity (OAuth2 token) base URL; unset means Xero itself (https://identity.xero.com). */
  xeroIdentityUrl: 'XERO_IDENTITY_URL',
  /** Name of the platform's EventBridge bus. */
  eventBusName: 'EVENT_BUS_NAME',
  /** ARNs of the tenancy workflows (see workflows.ts). */
  tenancySetupStateMachineArn: 'TENANCY_SETUP_STATE_MACHINE_ARN',
  tenancyCancellationStateMachineArn: 'TENANCY_CANCELLATION_STATE_MACHINE_ARN',
  plateChangeStateMachineArn: 'PLATE_CHANGE_STATE_MACHINE_ARN',
  vehicleChangeStateMachineArn: 'VEHICLE_CHANGE_STATE_MACHINE_ARN',
  invoiceDunningStateMachineArn: 'INVOICE_DUNNING_STATE_MACHINE_ARN',
  waitlistOfferStateMachineArn: 'WAITLIST_OFFER_STATE_MACHINE_ARN',
  /**
   * Secrets Manager id of the value CloudFront sends in `x-origin-verify` on every request it
   * passes to the API: only such a request's `CloudFront-Viewer-Address` is trusted as the
   * client's address. Unset (the twin): the connection's source address is used.
   */
  originVerifySecretId: 'ORIGIN_VERIFY_SECRET_ID',
  /** Days after an unpaid invoice fell due on which payment is retried, comma-separated (default 1,3,5). */
  dunningRetryDays: 'DUNNING_RETRY_DAYS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
