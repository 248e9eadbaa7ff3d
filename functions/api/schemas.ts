/**
 * Request and response schemas (zod). Handlers validate with them and the OpenAPI document is
 * generated from them, so the documentation cannot drift from what the API accepts.
 */
import * as z from 'zod';
import { CURRENCIES, VEHICLE_TYPES } from '../domain/carparks';
import { ACCOUNT_TYPES, ROLES } from '../domain/identity';
import { BARRIER_STATUSES, TENANCY_STATUSES } from '../domain/tenancies';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { CORPORATE_INVOICE_STATUSES } from '../domain/corporate-billing';
import { isTimeZone } from '../domain/email-format';

// --- building blocks -----------------------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1).max(max);
export const Email = z.email().max(254).meta({ description: 'Case-insensitive; stored in lower case', example: 'sam@example.com' });
const Phone = z
  .string()
  .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'Use digits, spaces, brackets or dashes, optionally starting with +')
  .meta({ example: '+44 20 7946 0000' });
/** Length is capped here; strength rules (with their reasons) are the domain's. */
const Password = z.string().min(1).max(PASSWORD_MAX_LENGTH);
const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601, UTC' });
const IsoDate = z.iso.date().meta({ description: 'YYYY-MM-DD', example: '2026-01-31' });

export const UserId = z.string().regex(/^usr_[0-9a-f]{20}$/).meta({ example: 'usr_4f1c2a9be07d3c5a6b10' });
export const OperatorId = z.string().regex(/^op_[0-9a-f]{20}$/).meta({ example: 'op_0c3e9d4a1b2f5e6d7a80' });
export const CarparkId = z.string().regex(/^cp_[0-9a-f]{20}$/).meta({ example: 'cp_9a8b7c6d5e4f3a2b1c0d' });
export const TenancyId = z.string().regex(/^tn_[0-9a-f]{20}$/).meta({ example: 'tn_1b2c3d4e5f60718293a4' });
/** Xero's ContactID; stored in lower case. */
export const XeroContactId = z.guid().meta({ example: '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d' });

const perVehicleType = (value: z.ZodNumber, description: string) =>
  z.strictObject(Object.fromEntries(VEHICLE_TYPES.map((t) => [t, value.optional()])) as Record<(typeof VEHICLE_TYPES)[number], z.ZodOptional<z.ZodNumber>>).meta({ description });

/** Monthly price in integer minor units (pence, cents). */
const Prices = perVehicleType(z.int().min(50).max(10_000_000), 'Monthly price per vehicle type, integer minor units (e.g. pence)');
const Capacity = perVehicleType(z.int().min(0).max(100_000), 'Spaces per vehicle type');
const SpacesCount = perVehicleType(z.int().min(0), 'Spaces per vehicle type');

const Address = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  postcode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. GB').meta({ example: 'GB' }),
});

const atLeastOneField = <T extends z.ZodObject>(schema: T) =>
  schema.refine((value) => Object.keys(value).length > 0, { message: 'Give at least one field to change.' });

// --- requests -------------------------------------------------------------------------------------

export const SignUpBody = z.strictObject({
  email: Email,
  password: Password,
  name: text(100),
  phone: Phone.optional(),
  accountType: z.enum(ACCOUNT_TYPES),
});

export const UpdateUserBody = atLeastOneField(
  z.strictObject({
    name: text(100).optional(),
    phone: Phone.nullable().optional().meta({ description: 'null removes it' }),
    email: Email.optional().meta({ description: 'Changes only once the new address confirms it (a link is sent there); an admin changing another user’s email changes it at once' }),
    password: Password.optional(),
    currentPassword: Password.optional().meta({ description: 'Required with password or email, unless an admin changes another user’s' }),
    role: z.enum(ROLES).optional().meta({ description: 'Admins only' }),
    operatorId: OperatorId.nullable().optional().meta({ description: 'Admins only; required for role operator' }),
  }),
);

export const LinkXeroContactBody = z.strictObject({
  contactId: XeroContactId.meta({ description: 'The Xero contact the user’s company is invoiced as' }),
});

export const LoginBody = z.strictObject({ email: Email, password: Password });
export const ForgotPasswordBody = z.strictObject({ email: Email });
export const ResetPasswordBody = z.strictObject({ token: z.string().min(16).max(200), password: Password });
export const VerifyEmailBody = z.strictObject({ token: z.string().min(16).max(200).meta({ description: 'From the link sent to the new address' }) });

export const CreateOperatorBody = z.strictObject({ name: text(100), contactEmail: Email });

const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'An IANA time zone, e.g. Europe/London.')
  .meta({ example: 'Europe/London' });

export const CreateCarparkBody = z.strictObject({
  operatorId: OperatorId.optional().meta({ description: 'Required for admins; operators default to their own' }),
  name: text(100),
  address: Address,
  currency: z.enum(CURRENCIES),
  prices: Prices,
  capacity: Capacity,
  smartParkingSiteId: text(100),
  supportEmail: Email,
  timeZone: TimeZone.optional().meta({ description: 'Where the car park is, for dates in emails and the portal; Europe/London when omitted' }),
});

export const UpdateCarparkBody = atLeastOneField(
  z.strictObject({
    name: text(100).optional(),
    address: Address.optional(),
    prices: Prices.optional(),
    capacity: Capacity.optional(),
    smartParkingSiteId: text(100).optional(),
    supportEmail: Email.optional(),
    timeZone: TimeZone.optional(),
  }),
);

export const ListCarparksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const ListUsersQuery = z.object({
  email: z.string().trim().min(1).max(254).optional().meta({ description: 'Users whose email starts with this (any case)', example: 'sam@' }),
  name: z.string().trim().min(1).max(100).optional().meta({ description: 'Users whose name starts with this (any case); not with `email`', example: 'Sam' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const UserParams = z.object({ userId: UserId });
export const OperatorParams = z.object({ operatorId: OperatorId });
export const CarparkParams = z.object({ carparkId: CarparkId });

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
    operatorId: OperatorId.optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'User' });

export const UserListResponse = z
  .object({ items: z.array(UserResponse), nextCursor: z.string().optional() })
  .meta({ id: 'UserList' });

export const XeroContactLinkResponse = z
  .object({ userId: UserId, contactId: XeroContactId, linkedAt: Timestamp, linkedBy: UserId })
  .meta({ id: 'XeroContactLink' });

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

/** Raw plates are accepted in any spacing and case; the API normalises and validates them. */
const RawPlate = z.string().trim().min(1).max(20).meta({ example: 'AB12 CDE' });

export const CreateTenancyBody = z.strictObject({
  carparkId: CarparkId,
  vehicleType: z.enum(VEHICLE_TYPES),
  plate: RawPlate,
  startDate: z.iso.datetime({ offset: true }).optional().meta({ description: 'Defaults to now' }),
});

export const UpdateTenancyBody = z
  .strictObject({ plate: RawPlate.optional(), vehicleType: z.enum(VEHICLE_TYPES).optional() })
  .refine((value) => value.plate !== undefined || value.vehicleType !== undefined, { message: 'Give a plate or a vehicle type.' });

export const ListTenanciesQuery = z.object({
  carparkId: CarparkId.optional().meta({ description: 'Operators: required, one of your car parks. Tenants: filters your own.' }),
  userId: UserId.optional().meta({ description: 'Admins only' }),
  status: z.enum(TENANCY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const TenancyParams = z.object({ tenancyId: TenancyId });

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
    pendingPlate: z.string().optional().meta({ description: 'A plate change under way' }),
    status: z.enum(TENANCY_STATUSES),
    failureReason: z.string().optional(),
    startDate: Timestamp,
    endsAt: Timestamp.optional().meta({ description: 'When a cancelled tenancy’s access ends' }),
    renewsAt: Timestamp.optional().meta({
      description:
        'When the tenancy is next billed (the end of the period paid for), recorded at activation and at each paid renewal. Not renewed while cancelling: it ends at `endsAt`',
    }),
    priceId: z.string(),
    monthlyAmount: z.int().meta({ description: 'Minor units, as priced when the tenancy was created' }),
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
      .object({ invoiceId: z.string(), until: Timestamp })
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

export const TenancyListResponse = z
  .object({ items: z.array(TenancyResponse), nextCursor: z.string().optional() })
  .meta({ id: 'TenancyList' });

// --- plate look-up -------------------------------------------------------------------------------

/** As typed: any spacing and case; the API normalises it and refuses what cannot be a plate (422). */
export const PlateParams = z.object({ plate: z.string().min(1).max(40).meta({ example: 'SO51 BIO' }) });

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
          email: Email.optional().meta({ description: 'Admins only' }),
        }),
        liveAtBarrier: z.boolean().meta({ description: 'The plate is on the barrier’s whitelist now' }),
        exact: z.boolean().meta({ description: 'The tenancy’s plate is exactly the one looked up, not only a look-alike' }),
      }),
    ).meta({ description: 'Exact matches first, then live tenancies before ended ones, newest first' }),
    truncated: z.boolean().meta({ description: 'More tenancies matched than one answer holds (100)' }),
  })
  .meta({ id: 'PlateLookup' });

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

export const InvoiceParams = z.object({ invoiceId: z.string().regex(/^in_[A-Za-z0-9]{1,64}$/).meta({ example: 'in_1QxYzAbCdEfGh' }) });

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

export const UpdateBillingBody = atLeastOneField(
  z.strictObject({
    email: Email.optional().meta({ description: 'Where Stripe sends invoices' }),
    name: text(100).optional(),
    defaultPaymentMethod: z
      .string()
      .regex(/^pm_[A-Za-z0-9_]+$/)
      .optional()
      .meta({ description: 'A PaymentMethod id from Stripe Elements (or a Stripe test card such as pm_card_visa)' }),
  }),
);

export const SetupIntentResponse = z
  .object({ setupIntentId: z.string(), clientSecret: z.string() })
  .meta({ id: 'SetupIntent' });

export const WebhookAccepted = z.object({ received: z.literal(true), eventId: z.string() }).meta({ id: 'WebhookAccepted' });

export const ContactBody = z.strictObject({
  name: text(100),
  email: Email,
  message: text(5000),
  carparkId: CarparkId.optional().meta({ description: 'The car park the message is about; its support address receives it' }),
  website: z.string().max(200).optional().meta({ description: 'Leave empty (a trap for bots)' }),
});

export const ContactAccepted = z.object({ received: z.literal(true) }).meta({ id: 'ContactAccepted' });
