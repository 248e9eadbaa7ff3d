/**
 * What the API answers (zod), and everything it accepts (re-exported from ./requests.ts). The
 * OpenAPI document and the web app's types are generated from these, so the documentation cannot
 * drift from the API; the functions themselves only load ./requests.ts.
 */
import * as z from 'zod';
import { CURRENCIES, VEHICLE_TYPES } from '../domain/carparks';
import { ACCOUNT_TYPES, ROLES } from '../domain/identity';
import { BARRIER_STATUSES, TENANCY_STATUSES } from '../domain/tenancies';
import { TIMELINE_EVENT_KINDS, TIMELINE_SOURCES } from '../domain/tenancy-timeline';
import { CORPORATE_INVOICE_STATUSES } from '../domain/corporate-billing';
import { OFFER_STATUSES } from '../domain/waitlist';
import { APPLICATION_STATUSES } from '../domain/operator-applications';
import { fields, perVehicleType } from './requests';

export * from './requests';

const { Address, Capacity, CarparkId, Email, OperatorId, Prices, TenancyId, UserId, XeroContactId } = fields;

const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601, UTC' });
const IsoDate = z.iso.date().meta({ description: 'YYYY-MM-DD', example: '2026-01-31' });
const SpacesCount = perVehicleType(z.int().min(0), 'Spaces per vehicle type');

// --- responses ------------------------------------------------------------------------------------

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      clientSecret: z
        .string()
        .nullable()
        .optional()
        .meta({ description: 'With `authentication_required` (paying an invoice): the payment’s client secret, for Stripe.js to authenticate it' }),
    }),
  })
  .meta({ id: 'Error' });

export const UserResponse = z
  .object({
    userId: UserId,
    email: Email,
    name: z.string(),
    phone: z.string().optional(),
    role: z.enum(ROLES),
    accountType: z.enum(ACCOUNT_TYPES),
    operatorId: z.optional(OperatorId),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'User' });

export const UserListResponse = z
  .object({ items: z.array(UserResponse), nextCursor: z.string().optional() })
  .meta({ id: 'UserList' });

export const XeroContactLinkResponse = z
  .object({
    userId: UserId,
    contactId: XeroContactId,
    contactName: z.string().optional().meta({ description: 'The contact’s name in Xero when linked' }),
    linkedAt: Timestamp,
    linkedBy: UserId,
  })
  .meta({ id: 'XeroContactLink' });

export const XeroContactResponse = z
  .object({ contactId: XeroContactId, name: z.string(), email: z.string().nullable(), archived: z.boolean() })
  .meta({ id: 'XeroContact' });

export const XeroContactListResponse = z
  .object({ items: z.array(XeroContactResponse), nextCursor: z.string().optional() })
  .meta({ id: 'XeroContactList' });

export const LoginResponse = z
  .object({ token: z.string(), expiresAt: Timestamp, user: UserResponse })
  .meta({ id: 'Login' });

const carparkViewFields = {
  carparkId: CarparkId,
  operatorId: OperatorId,
  name: z.string(),
  address: Address,
  currency: z.enum(CURRENCIES),
  prices: Prices,
  capacity: Capacity,
  spacesFree: SpacesCount,
  waiting: SpacesCount,
  offerHours: z.number().meta({ description: 'How long a waitlist offer holds its space, in hours' }),
  platesPerTenancy: z.int().meta({ description: 'How many plates one tenancy may whitelist (billing stays one space)' }),
  supportEmail: Email,
  timeZone: z.string().meta({ description: 'IANA time zone the car park’s dates are given in', example: 'Europe/London' }),
};

export const CarparkResponse = z.object(carparkViewFields).meta({ id: 'Carpark' });

export const ManagedCarparkResponse = z
  .object({
    ...carparkViewFields,
    occupied: SpacesCount,
    smartParkingSiteId: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'ManagedCarpark' });

export const CarparkListResponse = z
  .object({ items: z.array(CarparkResponse), nextCursor: z.string().optional() })
  .meta({ id: 'CarparkList' });

export const OperatorResponse = z
  .object({ operatorId: OperatorId, name: z.string(), contactEmail: Email, createdAt: Timestamp })
  .meta({ id: 'Operator' });

export const OperatorWithCarparksResponse = OperatorResponse.extend({ carparks: z.array(ManagedCarparkResponse) }).meta({
  id: 'OperatorWithCarparks',
});

export const OperatorApplicationResponse = z
  .object({
    applicationId: fields.ApplicationId,
    userId: UserId,
    applicantEmail: Email,
    applicantName: z.string(),
    companyName: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    carpark: z.object({
      name: z.string(),
      address: Address,
      currency: z.enum(CURRENCIES),
      prices: Prices,
      capacity: Capacity,
      smartParkingSiteId: z.string(),
      supportEmail: Email,
    }),
    status: z.enum(APPLICATION_STATUSES),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    decidedAt: Timestamp.optional(),
    decidedBy: z.optional(UserId).meta({ description: 'The admin who decided' }),
    rejectionReason: z.string().optional().meta({ description: 'Why it was rejected' }),
    operatorId: z.optional(OperatorId).meta({ description: 'The operator approval created' }),
    carparkId: z.optional(CarparkId).meta({ description: 'The first car park approval created' }),
  })
  .meta({ id: 'OperatorApplication' });

export const MyOperatorApplicationResponse = z
  .object({ application: OperatorApplicationResponse.nullable().meta({ description: 'Your newest application; null when you have none' }) })
  .meta({ id: 'MyOperatorApplication' });

export const OperatorApplicationListResponse = z
  .object({ items: z.array(OperatorApplicationResponse), nextCursor: z.string().optional() })
  .meta({ id: 'OperatorApplicationList' });

const Minor = z.int().meta({ description: 'Minor units (pence, cents)' });

/** A dashboard's figures: now, and month by month (an operator's, a car park's, or the platform's in one currency). */
const dashboardFigures = {
  now: z.object({
    occupied: SpacesCount,
    capacity: SpacesCount,
    mrr: Minor.meta({ description: 'Monthly recurring revenue: the monthly price of every tenancy holding a space' }),
    arrears: z.object({
      count: z.int().min(0).meta({ description: 'Unpaid invoices with a tenancy here' }),
      amount: Minor.meta({ description: 'The monthly price of the tenancies those invoices are for' }),
      oldestSince: Timestamp.nullable(),
    }),
    recoveryRate: z.number().min(0).max(1).nullable().meta({ description: 'Of the payments that failed in these 12 months, the share paid since; null when none failed' }),
  }),
  months: z
    .array(
      z.object({
        month: z.string().meta({ example: '2026-12' }),
        occupied: perVehicleType(z.int().min(0), 'Spaces held at the end of the month (now, for this month)'),
        revenue: Minor.meta({ description: 'Collected: paid invoice lines attributed to these car parks' }),
        ended: z.int().min(0).meta({ description: 'Tenancies that ended (churn)' }),
        paymentsFailed: z.int().min(0),
        paymentsRecovered: z.int().min(0).meta({ description: 'Of the payments that failed this month, those paid since' }),
      }),
    )
    .meta({ description: 'The last 12 months, oldest first' }),
};

export const DashboardResponse = z
  .object({
    operatorId: OperatorId,
    carparkId: z.optional(CarparkId).meta({ description: 'Present when the dashboard is of one car park' }),
    currency: z.string(),
    carparks: z.array(z.object({ carparkId: CarparkId, name: z.string() })),
    ...dashboardFigures,
  })
  .meta({ id: 'Dashboard' });

export const OperatorListResponse = z
  .object({ items: z.array(OperatorResponse), nextCursor: z.string().optional() })
  .meta({ id: 'OperatorList' });

export const PlatformDashboardResponse = z
  .object({
    operators: z.int().min(0),
    carparks: z.int().min(0),
    currencies: z
      .array(z.object({ currency: z.string(), carparks: z.int().min(0), ...dashboardFigures }))
      .meta({ description: 'One summary per currency the car parks charge in: amounts in different currencies are never added' }),
    byOperator: z
      .array(
        z.object({
          operatorId: OperatorId,
          name: z.string(),
          currency: z.string(),
          carparks: z.int().min(0),
          occupied: z.int().min(0).meta({ description: 'Spaces held now, every vehicle type' }),
          capacity: z.int().min(0),
          mrr: Minor,
          arrears: z.object({ count: z.int().min(0), amount: Minor }),
          revenue: Minor.meta({ description: 'Collected over the last 12 months' }),
        }),
      )
      .meta({ description: 'Each operator per currency, highest monthly recurring revenue first' }),
  })
  .meta({ id: 'PlatformDashboard' });

export const BarrierCheckResponse = z
  .object({
    carparkId: CarparkId,
    lastRun: z
      .object({
        startedAt: Timestamp,
        finishedAt: Timestamp,
        fixes: z
          .array(
            z.object({
              siteId: z.string(),
              plate: z.string(),
              action: z.enum(['registered', 'revoked']).meta({ description: 'registered: put back on the barrier’s list; revoked: a plate that should not open it, taken off' }),
              tenancyId: z.optional(TenancyId),
            }),
          )
          .meta({ description: 'What it repaired at this car park' }),
        error: z.string().nullable().meta({ description: 'Why this car park’s barrier could not be checked on that run' }),
      })
      .nullable()
      .meta({ description: 'The newest run (daily); null before the first' }),
  })
  .meta({ id: 'BarrierCheck' });

export const HealthResponse = z
  .object({ status: z.enum(['ok', 'degraded']), checks: z.object({ table: z.enum(['reachable', 'unreachable']) }) })
  .meta({ id: 'Health' });

export const ConfigResponse = z
  .object({
    stripePublishableKey: z.string().meta({ example: 'pk_test_local' }),
    stripeJsUrl: z.url().meta({ example: 'https://js.stripe.com/v3/' }),
  })
  .meta({ id: 'Config' });

// --- tenancies ------------------------------------------------------------------------------------

const LookAlikeWarning = z.object({
  position: z.int(),
  character: z.string(),
  alternative: z.string(),
  message: z.string().meta({ example: 'Check character 3: O (letter) or 0 (zero)?' }),
});

export const TenancyResponse = z
  .object({
    tenancyId: TenancyId,
    userId: UserId,
    carparkId: CarparkId,
    operatorId: OperatorId,
    vehicleType: z.enum(VEHICLE_TYPES),
    plate: z.string().meta({ description: 'Normalised: upper case letters and digits', example: 'AB12CDE' }),
    extraPlates: z.array(z.string()).optional().meta({ description: 'Further plates on the same space, up to the car park’s platesPerTenancy in all' }),
    pendingPlate: z.string().optional().meta({ description: 'A plate change under way (a plate being added, with addingPlate)' }),
    addingPlate: z.boolean().optional(),
    retiredPlates: z
      .array(z.object({ plate: z.string(), until: Timestamp }))
      .optional()
      .meta({ description: 'Removed plates, still whitelisted until the end of the period paid for' }),
    status: z.enum(TENANCY_STATUSES),
    failureReason: z.string().optional(),
    startDate: Timestamp,
    endsAt: Timestamp.optional().meta({ description: 'When a cancelled tenancy’s access ends' }),
    renewsAt: Timestamp.optional().meta({
      description:
        'When the tenancy is next billed (the end of the period paid for), recorded at activation and at each paid renewal. Not renewed while cancelling: it ends at `endsAt`',
    }),
    priceId: z.string(),
    monthlyAmount: z.int().meta({ description: 'Minor units: the car park’s price when the tenancy was created, or its new price after a change (`priceChange`)' }),
    priceChange: z
      .object({
        previousAmount: z.int().meta({ description: 'What it cost a month before the change (minor units)' }),
        from: Timestamp.meta({ description: 'When the new price is first charged: the next renewal (a scheduled tenancy: its start)' }),
        at: Timestamp.meta({ description: 'When the tenancy moved onto the new price' }),
        notifiedAt: Timestamp.optional().meta({ description: 'When the tenant was emailed about it' }),
      })
      .optional()
      .meta({ description: 'The car park’s price changed during the tenancy: `monthlyAmount` is charged from `from`, and nothing before' }),
    currency: z.string(),
    barrier: z.object({ status: z.enum(BARRIER_STATUSES), changedAt: Timestamp }),
    arrears: z
      .object({
        state: z.enum(['overdue', 'suspended']).meta({ description: '`overdue` during the grace period, `suspended` after it' }),
        since: Timestamp.meta({ description: 'When the unpaid invoice fell due' }),
        invoiceId: z.string().optional().meta({ description: 'Shown to the tenant and admins' }),
        amountDue: z.int().optional().meta({ description: 'Minor units; shown to the tenant and admins' }),
        currency: z.string().optional().meta({ description: 'Shown to the tenant and admins' }),
      })
      .optional()
      .meta({ description: 'Present while the tenant has an unpaid invoice (the oldest one). Operators see its state and date only' }),
    suspendedFrom: z.enum(['active', 'cancelling']).optional().meta({ description: 'While suspended: the status it returns to once paid' }),
    awaitingAuthentication: z
      .object({
        invoiceId: z.string(),
        until: Timestamp,
        withdrawn: z.boolean().optional().meta({ description: 'The tenant cancelled instead of confirming: the setup is being undone' }),
      })
      .optional()
      .meta({
        description:
          'While pending: the bank asks the tenant to authenticate the first charge (3-D Secure) — the invoice to confirm (`/my/billing/authenticate/<invoiceId>`) and until when; unconfirmed by then, the setup is undone',
      }),
    cancellationId: z.string().optional().meta({ description: 'While a cancellation is pending: which one (a cancellation undone and made again is a new one)' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Tenancy' });

export const TenancyWithWarningsResponse = z
  .object({ tenancy: TenancyResponse, warnings: z.array(LookAlikeWarning) })
  .meta({ id: 'TenancyWithWarnings' });

export const TenancyEnvelope = z.object({ tenancy: TenancyResponse }).meta({ id: 'TenancyEnvelope' });

export const BarrierPushResponse = z
  .object({
    tenancyId: TenancyId,
    plate: z.string(),
    siteId: z.string().meta({ description: "The car park's SmartParking site" }),
    action: z.enum(['registered', 'revoked']).meta({ description: 'registered: the plate opens the barrier; revoked: a suspended tenancy, kept out' }),
    at: Timestamp,
  })
  .meta({ id: 'BarrierPush' });

export const ListedTenancyResponse = TenancyResponse.extend({
  tenantName: z.string().optional().meta({ description: "The tenant's name, as the tenancy keeps it (absent on a tenancy from before names were kept)" }),
}).meta({ id: 'ListedTenancy' });

export const TenancyListResponse = z
  .object({ items: z.array(ListedTenancyResponse), nextCursor: z.string().optional() })
  .meta({ id: 'TenancyList' });

export const TimelineEventResponse = z
  .object({
    tenancyId: TenancyId,
    at: Timestamp,
    kind: z.enum(TIMELINE_EVENT_KINDS),
    source: z.enum(TIMELINE_SOURCES).meta({ description: 'Who or what caused it: a person by role, the platform itself, or Stripe' }),
    detail: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .meta({ description: 'A few facts (plates, amounts in minor units, an invoice); operators do not see the tenant’s invoice ids or totals', example: { plate: 'SO51BIO' } }),
  })
  .meta({ id: 'TimelineEvent' });

export const TimelineResponse = z
  .object({ tenancyId: TenancyId, items: z.array(TimelineEventResponse), nextCursor: z.string().optional() })
  .meta({ id: 'TenancyTimeline' });

// --- plate look-up -------------------------------------------------------------------------------

export const PlateLookupResponse = z
  .object({
    plate: z.string().meta({ description: 'The plate as looked up: normalised', example: 'SO51BIO' }),
    lookAlikeKey: z.string().meta({ description: 'O, I, S and B folded onto 0, 1, 5 and 8: every plate with this key is a match', example: '5051810' }),
    items: z.array(
      z.object({
        tenancy: TenancyResponse,
        tenant: z.object({
          userId: UserId,
          name: z.string().optional(),
          email: z.optional(Email).meta({ description: 'Admins only' }),
        }),
        liveAtBarrier: z.boolean().meta({ description: 'The plate is on the barrier’s whitelist now' }),
        exact: z.boolean().meta({ description: 'The tenancy’s plate is exactly the one looked up, not only a look-alike' }),
      }),
    ).meta({ description: 'Exact matches first, then live tenancies before ended ones, newest first' }),
    truncated: z.boolean().meta({ description: 'More tenancies matched than one answer holds (100)' }),
  })
  .meta({ id: 'PlateLookup' });

export const TenancySearchResponse = z
  .object({
    items: z
      .array(
        z.object({
          tenancy: TenancyResponse,
          tenant: z.object({ userId: UserId, name: z.string().optional(), email: z.optional(Email).meta({ description: 'Admins only' }) }),
          matched: z.array(z.enum(['email', 'name', 'plate'])).meta({ description: 'What matched: the plate (or a look-alike of it), the email, the name' }),
        }),
      )
      .meta({ description: 'Newest first' }),
    truncated: z.boolean().meta({ description: 'More matched than one answer holds: type more of it' }),
  })
  .meta({ id: 'TenancySearch' });

// --- billing --------------------------------------------------------------------------------------

const Invoice = z
  .object({
    invoiceId: z.string(),
    number: z.string().nullable(),
    status: z.string().nullable(),
    amountDue: z.int(),
    amountPaid: z.int(),
    currency: z.string(),
    periodStart: Timestamp,
    periodEnd: Timestamp,
    createdAt: Timestamp,
    hostedInvoiceUrl: z.string().nullable(),
    lines: z
      .array(
        z
          .object({
            priceId: z.string().nullable(),
            description: z.string().nullable(),
            quantity: z.int(),
            amount: z.int().meta({ description: 'Minor units; negative for a credit' }),
            periodStart: Timestamp,
            periodEnd: Timestamp,
            proration: z.boolean().meta({ description: 'Part of a period, charged or credited for a change' }),
          })
          .meta({ id: 'InvoiceLine' }),
      )
      .meta({ description: 'Every line Stripe charged; periodStart/periodEnd of the invoice are its subscription lines’ periods' }),
  })
  .meta({ id: 'Invoice' });

const XeroInvoice = z
  .object({
    invoiceNumber: z.string().meta({ example: 'INV-0042' }),
    issuedOn: IsoDate,
    dueOn: IsoDate.nullable(),
    total: z.int().meta({ description: 'Minor units' }),
    amountDue: z.int().meta({ description: 'Minor units; 0 once paid' }),
    currency: z.string().meta({ example: 'gbp' }),
    status: z.enum(CORPORATE_INVOICE_STATUSES),
    onlineUrl: z.string().nullable().meta({ description: 'Xero’s online invoice, to view and pay; given for invoices still to be paid' }),
  })
  .meta({ id: 'XeroInvoice' });

const XeroInvoices = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('available'), items: z.array(XeroInvoice).meta({ description: 'Newest first' }) }),
    z.object({
      status: z.literal('unavailable'),
      message: z.string(),
      retryAfterSeconds: z.int().optional().meta({ description: 'How long Xero asked us to wait, when it said' }),
    }),
  ])
  .meta({
    id: 'XeroInvoices',
    description: 'Corporate accounts linked to a Xero contact only. When Xero cannot be read, `unavailable`; the rest of the answer stands.',
  });

export const PaidInvoiceResponse = z.object({ invoice: Invoice }).meta({ id: 'PaidInvoice' });

export const InvoicePaymentResponse = z
  .object({
    invoiceId: z.string(),
    number: z.string().nullable(),
    status: z.string().nullable().meta({ description: 'Stripe’s invoice status: `open` still to pay, `paid` done' }),
    amountDue: z.int(),
    amountRemaining: z.int(),
    currency: z.string(),
    clientSecret: z.string().nullable().meta({ description: 'While the invoice is open: its payment’s client secret, for Stripe.js `confirmCardPayment`' }),
    card: z
      .object({ paymentMethodId: z.string(), brand: z.string(), last4: z.string() })
      .nullable()
      .meta({ description: 'While the invoice is open: the card on file, which `confirmCardPayment` names (`payment_method`)' }),
  })
  .meta({ id: 'InvoicePayment' });

export const BillingResponse = z
  .object({
    customerId: z.string().nullable(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    defaultCard: z.object({ brand: z.string(), last4: z.string(), expMonth: z.int(), expYear: z.int() }).nullable(),
    upcomingInvoice: Invoice.nullable(),
    recentInvoices: z.array(Invoice),
    xeroInvoices: XeroInvoices.optional(),
  })
  .meta({ id: 'Billing' });

export const SetupIntentResponse = z
  .object({ setupIntentId: z.string(), clientSecret: z.string() })
  .meta({ id: 'SetupIntent' });

const offerFields = {
  offerId: z.string(),
  carparkId: CarparkId,
  operatorId: OperatorId,
  vehicleType: z.enum(VEHICLE_TYPES),
  userId: UserId,
  plate: z.string(),
  status: z.enum(OFFER_STATUSES).meta({ description: 'open until accepted, declined or lapsed (past expiresAt)' }),
  joinedAt: Timestamp,
  offeredAt: Timestamp,
  expiresAt: Timestamp.meta({ description: 'Until when the space is held' }),
  spaceFreedAt: Timestamp,
  resolvedAt: Timestamp.optional(),
  tenancyId: z.string().optional(),
};

const WaitlistEntryFields = {
  carparkId: CarparkId,
  vehicleType: z.enum(VEHICLE_TYPES),
  userId: UserId,
  plate: z.string(),
  joinedAt: Timestamp,
  position: z.int().min(1).meta({ description: '1 for the first in line' }),
};

export const WaitlistEntryResponse = z.object(WaitlistEntryFields).meta({ id: 'WaitlistEntry' });

export const MyWaitlistResponse = z
  .object({
    entries: z.array(z.object({ ...WaitlistEntryFields, carparkName: z.string() })),
    offers: z.array(z.object({ ...offerFields, carparkName: z.string() })),
  })
  .meta({ id: 'MyWaitlist' });

export const OfferResponse = z
  .object({ ...offerFields, carparkName: z.string(), monthlyAmount: Minor, currency: z.enum(CURRENCIES) })
  .meta({ id: 'WaitlistOffer' });

export const CarparkWaitlistResponse = z
  .object({
    carparkId: CarparkId,
    offerHours: z.number(),
    waiting: z.array(z.object({ vehicleType: z.enum(VEHICLE_TYPES), position: z.int(), joinedAt: Timestamp, plate: z.string() })),
    offers: z.array(z.object(offerFields)),
    timeToFillHours: z.number().nullable().meta({ description: 'Median hours from a space falling free to its offer accepted (offers shown)' }),
  })
  .meta({ id: 'CarparkWaitlist' });

export const QuoteResponse = z
  .object({
    currency: z.string(),
    chargedNow: z.number().meta({ description: 'Charged to the card when the change is made (minor units)' }),
    credited: z.number().meta({ description: 'Unused time given back for the space left, taken off the next renewal (minor units)' }),
    nextRenewal: z.optional(
      z.object({ on: z.string(), amount: z.number().meta({ description: 'The next renewal after the change, the credit taken off (minor units)' }) }),
    ),
    endsOn: z.optional(z.string().meta({ description: 'A cancellation: the last day of access' })),
    quotedAt: z.string().meta({ description: 'Send with the rental or the change within 30 minutes: it is prorated from this moment' }),
  })
  .meta({ id: 'Quote' });

export const WebhookAccepted = z.object({ received: z.literal(true), eventId: z.string() }).meta({ id: 'WebhookAccepted' });

export const ContactAccepted = z.object({ received: z.literal(true) }).meta({ id: 'ContactAccepted' });
