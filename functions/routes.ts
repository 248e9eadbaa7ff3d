/**
 * The route manifest: the one source of truth for the HTTP API.
 *
 * Read by the CDK API construct (one Lambda per route, its grants, its authorizer) and by the
 * offline twin (routing, authorizer invocation), so what runs locally is what deploys.
 * Plain data only: no imports of handler code, no AWS constructs.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** DynamoDB actions a function may be granted on the table (and its indexes, for Query). */
export type TableAction =
  | 'DescribeTable'
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/** Everything a function is allowed to touch beyond its own logs. Each entry becomes a grant. */
export interface FunctionAccess {
  /** Table actions; TransactWriteItems is not an IAM action: grant the item actions it performs. */
  readonly table?: readonly TableAction[];
  /** Reads the JWT signing key from Secrets Manager. */
  readonly jwtSigningKey?: boolean;
  /** Sends email through SES. */
  readonly sendsEmail?: boolean;
  /** Emails the admins' alert address (ADMIN_ALERT_EMAIL: the alarm email); needs sendsEmail. */
  readonly alertsAdmins?: boolean;
  /** Calls Stripe with the secret API key (from Secrets Manager). */
  readonly stripe?: boolean;
  /** Calls SmartParking with its API key (from Secrets Manager). */
  readonly smartParking?: boolean;
  /** Calls Xero with the custom connection's client credentials (from Secrets Manager). */
  readonly xero?: boolean;
  /** Reads the Stripe webhook signing secret (from Secrets Manager). */
  readonly stripeWebhookSecret?: boolean;
  /** Reads the secret CloudFront sends to the API, to trust its viewer address (per-source limits). */
  readonly originVerify?: boolean;
  /** Puts events on the platform's event bus. */
  readonly putsEvents?: boolean;
  /** Starts executions of these workflows (ids from workflows.ts). */
  readonly startsWorkflows?: readonly WorkflowName[];
  /** Stops executions of these workflows. */
  readonly stopsWorkflows?: readonly WorkflowName[];
  /** Reads the dunning retry schedule from configuration. */
  readonly dunningSchedule?: boolean;
  /** Reads the browser's card-entry settings (Stripe publishable key, Stripe.js URL) from configuration. */
  readonly browserConfig?: boolean;
}

/** Workflow ids (workflows.ts imports this module, so they are spelled out here). */
export type WorkflowName = 'TenancySetup' | 'TenancyCancellation' | 'PlateChange' | 'VehicleChange' | 'InvoiceDunning' | 'WaitlistOffer';

export interface RouteSpec {
  /** Stable identifier; becomes the CDK construct id and the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/users/{userId}`. */
  readonly path: string;
  /** Handler module, relative to `functions/`, exporting `handler`. */
  readonly handler: string;
  /**
   * `public`: no authorizer. `user`: the Lambda authorizer runs first and the handler receives the
   * caller's identity; the handler answers 401 when the caller is anonymous or the token is bad.
   */
  readonly auth: 'public' | 'user';
  readonly summary: string;
  readonly access: FunctionAccess;
}

/** The Lambda authorizer that turns a bearer token into an identity for `auth: 'user'` routes. */
export const authorizer = {
  id: 'Authorizer',
  handler: 'handlers/auth/authorizer.ts',
  identitySource: '$request.header.Authorization',
  /**
   * API Gateway caches the authorizer's answer per token for this long: a password change or
   * reset, an email or role change ends earlier sessions within this time.
   */
  resultsCacheTtlSeconds: 30,
  access: { jwtSigningKey: true, table: ['GetItem'] },
} as const satisfies {
  id: string;
  handler: string;
  identitySource: string;
  resultsCacheTtlSeconds: number;
  access: FunctionAccess;
};

/**
 * Browser access (CORS), applied by API Gateway itself and by the twin's gateway alike. Origins
 * come from configuration (`allowedOrigins`); methods are those the routes use.
 */
export const cors = {
  allowHeaders: ['authorization', 'content-type'],
  maxAgeSeconds: 3600,
} as const;

const READ = ['GetItem'] as const;

export const routes = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    handler: 'handlers/system/health.ts',
    auth: 'public',
    summary: 'Liveness, and whether the table is reachable',
    access: { table: ['DescribeTable'] },
  },
  {
    id: 'OpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'handlers/system/openapi.ts',
    auth: 'public',
    summary: 'The OpenAPI 3.1 document of this API',
    access: {},
  },
  {
    id: 'GetConfig',
    method: 'GET',
    path: '/config',
    handler: 'handlers/system/get-config.ts',
    auth: 'public',
    summary: 'Settings the web app needs: the Stripe publishable key and where to load Stripe.js from',
    access: { browserConfig: true },
  },
  {
    id: 'CreateUser',
    method: 'POST',
    path: '/users',
    handler: 'handlers/users/create-user.ts',
    auth: 'public',
    summary: 'Sign up',
    access: { table: ['PutItem'] },
  },
  {
    id: 'ListUsers',
    method: 'GET',
    path: '/users',
    handler: 'handlers/users/list-users.ts',
    auth: 'user',
    summary: 'List user accounts, by email or name prefix, a page at a time (admin)',
    access: { table: ['Query'] },
  },
  {
    id: 'GetUser',
    method: 'GET',
    path: '/users/{userId}',
    handler: 'handlers/users/get-user.ts',
    auth: 'user',
    summary: 'Fetch a user (self or admin)',
    access: { table: READ },
  },
  {
    id: 'UpdateUser',
    method: 'PATCH',
    path: '/users/{userId}',
    handler: 'handlers/users/update-user.ts',
    auth: 'user',
    summary: 'Update name, phone, email or password (self or admin); role and operator (admin)',
    // Query and ConditionCheckItem: a new name is copied to the user's tenancies while it is still theirs.
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], sendsEmail: true },
  },
  {
    id: 'LinkXeroContact',
    method: 'PUT',
    path: '/users/{userId}/xero-contact',
    handler: 'handlers/users/link-xero-contact.ts',
    auth: 'user',
    summary: 'Link a corporate user to the Xero contact they are invoiced as (admin); the contact must exist and be active in Xero',
    access: { table: ['GetItem', 'PutItem'], xero: true },
  },
  {
    id: 'SearchXeroContacts',
    method: 'GET',
    path: '/xero/contacts',
    handler: 'handlers/users/search-xero-contacts.ts',
    auth: 'user',
    summary: 'Active Xero contacts by part of the name, email or number, to link a corporate user to (admin)',
    access: { xero: true },
  },
  {
    id: 'Login',
    method: 'POST',
    path: '/auth/login',
    handler: 'handlers/auth/login.ts',
    auth: 'public',
    summary: 'Exchange email and password for a bearer token',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], jwtSigningKey: true, originVerify: true },
  },
  {
    id: 'ForgotPassword',
    method: 'POST',
    path: '/auth/forgot-password',
    handler: 'handlers/auth/forgot-password.ts',
    auth: 'public',
    summary: 'Email a password reset link if the account exists (always 202)',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], sendsEmail: true, originVerify: true },
  },
  {
    id: 'ResetPassword',
    method: 'POST',
    path: '/auth/reset-password',
    handler: 'handlers/auth/reset-password.ts',
    auth: 'public',
    summary: 'Set a new password with a single-use reset token',
    access: { table: ['GetItem', 'UpdateItem', 'DeleteItem'] },
  },
  {
    id: 'VerifyEmail',
    method: 'POST',
    path: '/auth/verify-email',
    handler: 'handlers/auth/verify-email.ts',
    auth: 'public',
    summary: 'Confirm a new login email with the single-use link sent to it; ends every session',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], sendsEmail: true },
  },
  {
    id: 'CreateOperator',
    method: 'POST',
    path: '/operators',
    handler: 'handlers/operators/create-operator.ts',
    auth: 'user',
    summary: 'Create an operator (admin)',
    access: { table: ['PutItem'] },
  },
  {
    id: 'ListOperators',
    method: 'GET',
    path: '/operators',
    handler: 'handlers/operators/list-operators.ts',
    auth: 'user',
    summary: 'List operators, by the start of their name, a page at a time (admin)',
    access: { table: ['Query'] },
  },
  {
    id: 'GetPlatformDashboard',
    method: 'GET',
    path: '/platform/dashboard',
    handler: 'handlers/operators/get-platform-dashboard.ts',
    auth: 'user',
    summary: 'Totals across every operator, per currency, and each operator’s standing (admin)',
    // The operators' index, then each operator's car parks and statistics (one gsi2 range each): queries only.
    access: { table: ['Query'] },
  },
  {
    id: 'GetOperator',
    method: 'GET',
    path: '/operators/{operatorId}',
    handler: 'handlers/operators/get-operator.ts',
    auth: 'user',
    summary: 'Fetch an operator and its car parks (its operators, admin)',
    access: { table: ['Query'] },
  },
  {
    id: 'GetDashboard',
    method: 'GET',
    path: '/operators/{operatorId}/dashboard',
    handler: 'handlers/operators/get-dashboard.ts',
    auth: 'user',
    summary: 'Occupancy, revenue, arrears, churn and payment recovery over 12 months, for the operator or one of its car parks (its operators, admin)',
    // The operator, its car parks and their statistics: one gsi2 range query.
    access: { table: ['Query'] },
  },
  {
    id: 'ApplyToOperate',
    method: 'POST',
    path: '/operator-applications',
    handler: 'handlers/operator-applications/apply.ts',
    auth: 'user',
    summary: 'Apply to become an operator with a first car park; one open application at a time (tenant)',
    // The applicant (GetItem), the application and its open claim (PutItem), the daily limit (UpdateItem).
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], sendsEmail: true, alertsAdmins: true },
  },
  {
    id: 'GetMyOperatorApplication',
    method: 'GET',
    path: '/operator-applications/mine',
    handler: 'handlers/operator-applications/get-mine.ts',
    auth: 'user',
    summary: 'Your newest operator application and its status (null when you have none)',
    access: { table: ['Query'] },
  },
  {
    id: 'ListOperatorApplications',
    method: 'GET',
    path: '/operator-applications',
    handler: 'handlers/operator-applications/list.ts',
    auth: 'user',
    summary: 'Operator applications of one status (pending by default), oldest first, a page at a time (admin)',
    access: { table: ['Query'] },
  },
  {
    id: 'ApproveOperatorApplication',
    method: 'POST',
    path: '/operator-applications/{applicationId}/approve',
    handler: 'handlers/operator-applications/approve.ts',
    auth: 'user',
    summary: 'Approve a pending application: creates the operator and its first car park, and makes the applicant its operator user (admin)',
    // The application (lease, decision, open claim), the operator, the site claim and the car park, the user's role.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], stripe: true, sendsEmail: true },
  },
  {
    id: 'RejectOperatorApplication',
    method: 'POST',
    path: '/operator-applications/{applicationId}/reject',
    handler: 'handlers/operator-applications/reject.ts',
    auth: 'user',
    summary: 'Reject a pending application with a reason, which the applicant is emailed (admin)',
    access: { table: ['GetItem', 'UpdateItem', 'DeleteItem'], sendsEmail: true },
  },
  {
    id: 'CreateCarpark',
    method: 'POST',
    path: '/carparks',
    handler: 'handlers/carparks/create-carpark.ts',
    auth: 'user',
    summary: 'Create a car park (its operator, admin)',
    access: { table: ['PutItem', 'ConditionCheckItem'], stripe: true },
  },
  {
    id: 'ListCarparks',
    method: 'GET',
    path: '/carparks',
    handler: 'handlers/carparks/list-carparks.ts',
    auth: 'public',
    summary: 'List car parks with prices and free spaces',
    access: { table: ['Query'] },
  },
  {
    id: 'GetCarpark',
    method: 'GET',
    path: '/carparks/{carparkId}',
    handler: 'handlers/carparks/get-carpark.ts',
    auth: 'public',
    summary: 'One car park',
    access: { table: READ },
  },
  {
    id: 'UpdateCarpark',
    method: 'PATCH',
    path: '/carparks/{carparkId}',
    handler: 'handlers/carparks/update-carpark.ts',
    auth: 'user',
    summary: 'Update prices, capacity or details (its operator, admin)',
    // A price change is announced on the bus, for the car park's tenancies to follow it.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], stripe: true, putsEvents: true },
  },
  {
    id: 'GetBarrierCheck',
    method: 'GET',
    path: '/carparks/{carparkId}/barrier-check',
    handler: 'handlers/carparks/get-barrier-check.ts',
    auth: 'user',
    summary: 'The last barrier reconciliation: when it ran and what it repaired at this car park (its operator, admin)',
    access: { table: ['GetItem', 'Query'] },
  },
  {
    id: 'CreateTenancy',
    method: 'POST',
    path: '/tenancies',
    handler: 'handlers/tenancies/create-tenancy.ts',
    auth: 'user',
    summary: 'Rent a space: reserve it now, set up billing and the barrier in the background',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], startsWorkflows: ['TenancySetup'] },
  },
  {
    id: 'ListTenancies',
    method: 'GET',
    path: '/tenancies',
    handler: 'handlers/tenancies/list-tenancies.ts',
    auth: 'user',
    summary: 'List tenancies: your own; an operator’s car park’s (carparkId); any (admin)',
    access: { table: ['GetItem', 'Query'] },
  },
  {
    id: 'SearchTenancies',
    method: 'GET',
    path: '/tenancies/search',
    handler: 'handlers/tenancies/search-tenancies.ts',
    auth: 'user',
    summary: 'A car park’s tenancies by plate (look-alikes tolerated), or by the start of the tenant’s email or name (its operators, admin)',
    access: { table: ['GetItem', 'Query', 'BatchGetItem'] },
  },
  {
    id: 'GetTenancy',
    method: 'GET',
    path: '/tenancies/{tenancyId}',
    handler: 'handlers/tenancies/get-tenancy.ts',
    auth: 'user',
    summary: 'One tenancy with its plate’s barrier status (owner, its operator, admin)',
    access: { table: READ },
  },
  {
    id: 'UpdateTenancy',
    method: 'PATCH',
    path: '/tenancies/{tenancyId}',
    handler: 'handlers/tenancies/update-tenancy.ts',
    auth: 'user',
    summary: 'Change the plate and/or the vehicle type (owner)',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], startsWorkflows: ['PlateChange', 'VehicleChange'] },
  },
  {
    id: 'CancelTenancy',
    method: 'DELETE',
    path: '/tenancies/{tenancyId}',
    handler: 'handlers/tenancies/cancel-tenancy.ts',
    auth: 'user',
    summary: 'Cancel: access stays until the end of the paid period; a booking not started yet ends at once, a rental whose first payment waits for the bank is withdrawn (owner, its operator, admin)',
    // DeleteItem: a booking cancelled before its start gives back its plate's claim at once.
    // TenancySetup: a rental whose first payment waits for the bank is withdrawn by its setup.
    // PutItem: the cancellation's timeline event, in the same transaction.
    // putsEvents: the withdrawn booking's space is announced, for the car park's waitlist.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], startsWorkflows: ['TenancyCancellation', 'TenancySetup'], putsEvents: true },
  },
  {
    id: 'AddPlate',
    method: 'POST',
    path: '/tenancies/{tenancyId}/plates',
    handler: 'handlers/tenancies/add-plate.ts',
    auth: 'user',
    summary: "Add a further vehicle's plate to the tenancy, up to its car park's plates per tenancy; whitelisted by a plate change, billed as the same space (owner)",
    // PutItem: the plate's claim, its sighting and the timeline event, in one transaction.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], startsWorkflows: ['PlateChange'] },
  },
  {
    id: 'RemovePlate',
    method: 'DELETE',
    path: '/tenancies/{tenancyId}/plates/{plate}',
    handler: 'handlers/tenancies/remove-plate.ts',
    auth: 'user',
    summary: 'Remove one of the tenancy’s plates (not its last): its claim goes at once, it stays whitelisted to the end of the period paid for, then is revoked unless claimed again (owner)',
    // DeleteItem: the plate's claim; PutItem: the timeline event. The plate change workflow waits for the period's end.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], startsWorkflows: ['PlateChange'] },
  },
  {
    id: 'UndoCancellation',
    method: 'POST',
    path: '/tenancies/{tenancyId}/undo-cancellation',
    handler: 'handlers/tenancies/undo-cancellation.ts',
    auth: 'user',
    summary: 'Take back a cancellation before the tenancy has ended; the space and the billing stay (owner)',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], stopsWorkflows: ['TenancyCancellation'] },
  },
  {
    id: 'PushToBarrier',
    method: 'POST',
    path: '/tenancies/{tenancyId}/barrier',
    handler: 'handlers/tenancies/push-to-barrier.ts',
    auth: 'user',
    summary: "Put the tenancy's plate back on its car park's barrier now (taken off, for a suspended tenancy), instead of at the daily reconciliation (its operator, admin)",
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], smartParking: true },
  },
  {
    id: 'GetTenancyTimeline',
    method: 'GET',
    path: '/tenancies/{tenancyId}/timeline',
    handler: 'handlers/tenancies/get-tenancy-timeline.ts',
    auth: 'user',
    summary: 'Every billing, plate, barrier and status event of one tenancy, oldest first (owner, its operator, admin)',
    access: { table: ['GetItem', 'Query'] },
  },
  {
    id: 'LookUpPlate',
    method: 'GET',
    path: '/plates/{plate}',
    handler: 'handlers/plates/look-up-plate.ts',
    auth: 'user',
    summary: 'Tenancies on a plate, look-alikes (O/0, I/1, S/5, B/8) tolerated: in your car parks (operators), any (admin)',
    // One query of the plate's look-alike key, then batch reads of its tenancies and their tenants.
    access: { table: ['Query', 'BatchGetItem'] },
  },
  {
    id: 'GetBilling',
    method: 'GET',
    path: '/billing',
    handler: 'handlers/billing/get-billing.ts',
    auth: 'user',
    summary: 'Your Stripe customer, default card, upcoming and recent invoices; Xero invoices for linked corporate accounts',
    access: { table: ['Query'], stripe: true, xero: true },
  },
  {
    id: 'CreateBilling',
    method: 'POST',
    path: '/billing',
    handler: 'handlers/billing/create-billing.ts',
    auth: 'user',
    summary: 'Create your Stripe customer (idempotent)',
    access: { table: ['GetItem', 'Query', 'UpdateItem'], stripe: true },
  },
  {
    id: 'UpdateBilling',
    method: 'PATCH',
    path: '/billing',
    handler: 'handlers/billing/update-billing.ts',
    auth: 'user',
    summary: 'Update billing email, name or default payment method',
    // A new card goes on the timelines of the tenant's tenancies (Query, BatchWriteItem).
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'BatchWriteItem'], stripe: true },
  },
  {
    id: 'CreateSetupIntent',
    method: 'POST',
    path: '/billing/setup-intent',
    handler: 'handlers/billing/create-setup-intent.ts',
    auth: 'user',
    summary: 'A SetupIntent client secret for collecting a card with Stripe Elements',
    access: { table: ['GetItem', 'Query', 'UpdateItem'], stripe: true },
  },
  {
    id: 'QuoteChange',
    method: 'POST',
    path: '/billing/quote',
    handler: 'handlers/billing/quote-change.ts',
    auth: 'user',
    summary: 'What renting a space, changing its vehicle type or cancelling it charges now, credits, and renews at, from Stripe\'s invoice preview',
    access: { table: ['GetItem', 'Query'], stripe: true },
  },
  {
    id: 'JoinWaitlist',
    method: 'POST',
    path: '/carparks/{carparkId}/waitlist',
    handler: 'handlers/waitlist/join-waitlist.ts',
    auth: 'user',
    summary: 'Join a full car park\'s waitlist for a vehicle type with the plate to park (tenants); answers your position',
    // The entry, the member item and the count in one transaction; a space free meanwhile is offered at once.
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], startsWorkflows: ['WaitlistOffer'] },
  },
  {
    id: 'LeaveWaitlist',
    method: 'DELETE',
    path: '/carparks/{carparkId}/waitlist/{vehicleType}',
    handler: 'handlers/waitlist/leave-waitlist.ts',
    auth: 'user',
    summary: 'Leave a waitlist you are in',
    access: { table: ['GetItem', 'UpdateItem', 'DeleteItem'] },
  },
  {
    id: 'GetMyWaitlist',
    method: 'GET',
    path: '/waitlist',
    handler: 'handlers/waitlist/get-my-waitlist.ts',
    auth: 'user',
    summary: 'The waitlists you are in, with your position, and the offers made to you',
    access: { table: ['GetItem', 'Query'] },
  },
  {
    id: 'GetCarparkWaitlist',
    method: 'GET',
    path: '/carparks/{carparkId}/waitlist',
    handler: 'handlers/waitlist/get-carpark-waitlist.ts',
    auth: 'user',
    summary: 'A car park\'s waitlist in order, its offers and their outcomes, and its time to fill (its operator, admin)',
    access: { table: ['GetItem', 'Query'] },
  },
  {
    id: 'GetOffer',
    method: 'GET',
    path: '/offers/{offerId}',
    handler: 'handlers/waitlist/get-offer.ts',
    auth: 'user',
    summary: 'An offer of a space made to you from a waitlist: the car park, the price, the deadline',
    access: { table: ['GetItem'] },
  },
  {
    id: 'AcceptOffer',
    method: 'POST',
    path: '/offers/{offerId}/accept',
    handler: 'handlers/waitlist/accept-offer.ts',
    auth: 'user',
    summary: 'Accept an open offer: the tenancy is created on the space it holds and set up as any rental',
    // The offer accepted and the tenancy, plate claim, billing count and timeline event put together.
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], startsWorkflows: ['TenancySetup'] },
  },
  {
    id: 'DeclineOffer',
    method: 'POST',
    path: '/offers/{offerId}/decline',
    handler: 'handlers/waitlist/decline-offer.ts',
    auth: 'user',
    summary: 'Decline an open offer: its space passes to the next in line at once',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], startsWorkflows: ['WaitlistOffer'] },
  },
  {
    id: 'PayInvoice',
    method: 'POST',
    path: '/billing/invoices/{invoiceId}/pay',
    handler: 'handlers/billing/pay-invoice.ts',
    auth: 'user',
    summary: 'Pay one of your open invoices now with the card on file',
    access: { table: ['Query'], stripe: true },
  },
  {
    id: 'GetInvoicePayment',
    method: 'GET',
    path: '/billing/invoices/{invoiceId}/payment',
    handler: 'handlers/billing/get-invoice-payment.ts',
    auth: 'user',
    summary: 'What Stripe.js needs to authenticate the payment of one of your invoices: client secret, amount, status (owner)',
    access: { table: ['Query'], stripe: true },
  },
  {
    id: 'Contact',
    method: 'POST',
    path: '/contact',
    handler: 'handlers/support/contact.ts',
    auth: 'public',
    summary: 'Contact form: stored as a support ticket and emailed to the car park (or the platform)',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], sendsEmail: true, originVerify: true },
  },
  {
    id: 'StripeWebhook',
    method: 'POST',
    path: '/webhooks/stripe',
    handler: 'handlers/webhooks/stripe.ts',
    auth: 'public',
    summary: 'Stripe events: signature verified on the raw body, then put on the event bus',
    access: { stripeWebhookSecret: true, putsEvents: true },
  },
] as const satisfies readonly RouteSpec[];

export type RouteId = (typeof routes)[number]['id'];

/** Every function the API deploys: the route handlers plus the authorizer. */
export const apiFunctions: readonly { id: string; handler: string; access: FunctionAccess }[] = [
  ...routes,
  authorizer,
];
