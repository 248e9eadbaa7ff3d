/**
 * What the API accepts (zod): bodies, path parameters and query strings, and the fields they share
 * with the responses. Handlers validate with these; they are kept apart from the responses
 * (./schemas.ts), which only the OpenAPI document needs. Each schema is built the first time it
 * is read (`builtOnFirstUse`), so a function builds only those of its own route.
 */
import * as z from 'zod/mini';
import '../zod-messages';
import { builtOnFirstUse } from './built-on-first-use';
import { CURRENCIES, MAX_OFFER_HOURS, VEHICLE_TYPES } from '../domain/carparks';
import { ACCOUNT_TYPES, ROLES } from '../domain/identity';
import { MAX_PLATES_PER_TENANCY, TENANCY_STATUSES } from '../domain/tenancies';
import { APPLICATION_STATUSES } from '../domain/operator-applications';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { isTimeZone } from '../domain/email-format';

// --- building blocks -----------------------------------------------------------------------------

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const perVehicleType = (value: z.ZodMiniNumber, description: string) =>
  z
    .strictObject(Object.fromEntries(VEHICLE_TYPES.map((t) => [t, z.optional(value)])) as Record<(typeof VEHICLE_TYPES)[number], z.ZodMiniOptional<z.ZodMiniNumber>>)
    .check(z.meta({ description }));

/** A list's page size and the cursor of the page after; a fresh schema for each query. */
const pageLimit = () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25);
const pageCursor = () => z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));

export const atLeastOneField = <T extends z.ZodMiniObject>(schema: T) =>
  schema.check(z.refine((value: z.output<T>) => Object.keys(value).length > 0, { message: 'Give at least one field to change.' }));

/** Fields the requests share with each other and with the responses. */
export const fields = builtOnFirstUse({
  Email: () =>
    z.email().check(z.maxLength(254), z.meta({ description: 'Case-insensitive; stored in lower case', example: 'sam@example.com' })),
  Phone: () =>
    z
      .string()
      .check(
        z.regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'Use digits, spaces, brackets or dashes, optionally starting with +'),
        z.meta({ example: '+44 20 7946 0000' }),
      ),
  /** Length is capped here; strength rules (with their reasons) are the domain's. */
  Password: () => z.string().check(z.minLength(1), z.maxLength(PASSWORD_MAX_LENGTH)),

  UserId: () => z.string().check(z.regex(/^usr_[0-9a-f]{20}$/), z.meta({ example: 'usr_4f1c2a9be07d3c5a6b10' })),
  OperatorId: () => z.string().check(z.regex(/^op_[0-9a-f]{20}$/), z.meta({ example: 'op_0c3e9d4a1b2f5e6d7a80' })),
  CarparkId: () => z.string().check(z.regex(/^cp_[0-9a-f]{20}$/), z.meta({ example: 'cp_9a8b7c6d5e4f3a2b1c0d' })),
  ApplicationId: () => z.string().check(z.regex(/^app_[0-9a-f]{20}$/), z.meta({ example: 'app_5e6d7a80c3e9d4a1b2f0' })),
  TenancyId: () => z.string().check(z.regex(/^tn_[0-9a-f]{20}$/), z.meta({ example: 'tn_1b2c3d4e5f60718293a4' })),
  QuotedAt: () =>
    z.iso.datetime({ offset: true }).check(
      z.meta({ description: 'The quotedAt of the quote shown (POST /billing/quote), within 30 minutes: the charge is prorated from then, so it is what was shown' }),
    ),
  /** Xero's ContactID; stored in lower case. */
  XeroContactId: () => z.guid().check(z.meta({ example: '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d' })),

  /** Monthly price in integer minor units (pence, cents). */
  Prices: () => perVehicleType(z.int().check(z.gte(50), z.lte(10_000_000)), 'Monthly price per vehicle type, integer minor units (e.g. pence)'),
  Capacity: () => perVehicleType(z.int().check(z.gte(0), z.lte(100_000)), 'Spaces per vehicle type'),

  Address: () =>
    z.strictObject({
      line1: text(200),
      line2: z.optional(text(200)),
      city: text(100),
      postcode: text(20),
      country: z.string().check(z.regex(/^[A-Z]{2}$/, 'Use a two-letter country code (ISO 3166-1), such as GB.'), z.meta({ example: 'GB' })),
    }),

  TimeZone: () =>
    z.string().check(z.maxLength(64), z.refine(isTimeZone, 'An IANA time zone, e.g. Europe/London.'), z.meta({ example: 'Europe/London' })),

  /** Raw plates are accepted in any spacing and case; the API normalises and validates them. */
  RawPlate: () => z.string().check(z.trim(), z.minLength(1), z.maxLength(20), z.meta({ example: 'AB12 CDE' })),
});

const f = fields;

/** What a new car park is given: by an operator or admin creating it, or in an operator application. */
const carparkFields = () => ({
  name: text(100),
  address: f.Address,
  currency: z.enum(CURRENCIES),
  prices: f.Prices,
  capacity: f.Capacity,
  smartParkingSiteId: text(100),
  supportEmail: f.Email,
});

// --- bodies, path parameters, query strings ------------------------------------------------------

export const requests = builtOnFirstUse({
  SignUpBody: () =>
    z.strictObject({
      email: f.Email,
      password: f.Password,
      name: text(100),
      phone: z.optional(f.Phone),
      accountType: z.enum(ACCOUNT_TYPES),
    }),

  UpdateUserBody: () =>
    atLeastOneField(
      z.strictObject({
        name: z.optional(text(100)),
        phone: z.optional(z.nullable(f.Phone)).check(z.meta({ description: 'null removes it' })),
        email: z.optional(f.Email).check(z.meta({ description: 'Changes only once the new address confirms it (a link is sent there); an admin changing another user’s email changes it at once' })),
        password: z.optional(f.Password),
        currentPassword: z.optional(f.Password).check(z.meta({ description: 'Required with password or email, unless an admin changes another user’s' })),
        role: z.optional(z.enum(ROLES)).check(z.meta({ description: 'Admins only' })),
        operatorId: z.optional(z.nullable(f.OperatorId)).check(z.meta({ description: 'Admins only; required for role operator' })),
      }),
    ),

  LinkXeroContactBody: () =>
    z.strictObject({
      contactId: f.XeroContactId.check(z.meta({ description: 'The Xero contact the user’s company is invoiced as' })),
    }),

  SearchXeroContactsQuery: () =>
    z.object({
      search: z
        .optional(z.string().check(z.trim(), z.maxLength(100)))
        .check(z.meta({ description: 'Part of the contact’s name, email or number (any case); every contact when empty', example: 'acme' })),
      cursor: z
        .optional(z.string().check(z.regex(/^[1-9][0-9]{0,3}$/, 'Use the nextCursor of the page before.')))
        .check(z.meta({ description: 'nextCursor of the page before' })),
    }),

  LoginBody: () => z.strictObject({ email: f.Email, password: f.Password }),
  ForgotPasswordBody: () => z.strictObject({ email: f.Email }),
  ResetPasswordBody: () => z.strictObject({ token: z.string().check(z.minLength(16), z.maxLength(200)), password: f.Password }),
  VerifyEmailBody: () =>
    z.strictObject({ token: z.string().check(z.minLength(16), z.maxLength(200), z.meta({ description: 'From the link sent to the new address' })) }),

  CreateOperatorBody: () => z.strictObject({ name: text(100), contactEmail: f.Email }),

  ApplyToOperateBody: () =>
    z.strictObject({
      companyName: text(100),
      contactName: text(100),
      contactPhone: f.Phone,
      carpark: z
        .strictObject(carparkFields())
        .check(z.meta({ description: 'The first car park, created (and listed) only once the application is approved' })),
    }),

  ListApplicationsQuery: () =>
    z.object({
      status: z._default(z.enum(APPLICATION_STATUSES), 'pending'),
      limit: pageLimit(),
      cursor: pageCursor(),
    }),
  ApplicationParams: () => z.object({ applicationId: f.ApplicationId }),
  RejectApplicationBody: () =>
    z.strictObject({ reason: text(1000).check(z.meta({ description: 'Sent to the applicant', example: 'We could not verify the SmartParking site.' })) }),

  CreateCarparkBody: () =>
    z.strictObject({
      operatorId: z.optional(f.OperatorId).check(z.meta({ description: 'Required for admins; operators default to their own' })),
      ...carparkFields(),
      timeZone: z.optional(f.TimeZone).check(z.meta({ description: 'Where the car park is, for dates in emails and the portal; Europe/London when omitted' })),
    }),

  UpdateCarparkBody: () =>
    atLeastOneField(
      z.strictObject({
        name: z.optional(text(100)),
        address: z.optional(f.Address),
        prices: z.optional(f.Prices),
        capacity: z.optional(f.Capacity),
        smartParkingSiteId: z.optional(text(100)),
        supportEmail: z.optional(f.Email),
        timeZone: z.optional(f.TimeZone),
        offerHours: z
          .optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_OFFER_HOURS)))
          .check(z.meta({ description: 'How long a waitlist offer holds its space, in hours (default 48)' })),
        platesPerTenancy: z
          .optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_PLATES_PER_TENANCY)))
          .check(z.meta({ description: 'How many plates one tenancy may whitelist (default 1); lowering it leaves existing plates in place' })),
      }),
    ),

  ListCarparksQuery: () => z.object({ limit: pageLimit(), cursor: pageCursor() }),

  ListUsersQuery: () =>
    z.object({
      email: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))).check(z.meta({ description: 'Users whose email starts with this (any case)', example: 'sam@' })),
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.meta({ description: 'Users whose name starts with this (any case); not with `email`', example: 'Sam' })),
      limit: pageLimit(),
      cursor: pageCursor(),
    }),

  UserParams: () => z.object({ userId: f.UserId }),
  ListOperatorsQuery: () =>
    z.object({
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.meta({ description: 'Operators whose name starts with this (any case)', example: 'Harbour' })),
      limit: pageLimit(),
      cursor: pageCursor(),
    }),
  OperatorParams: () => z.object({ operatorId: f.OperatorId }),
  CarparkParams: () => z.object({ carparkId: f.CarparkId }),
  WaitlistParams: () => z.object({ carparkId: f.CarparkId, vehicleType: z.enum(VEHICLE_TYPES) }),
  OfferParams: () => z.object({ offerId: z.string().check(z.regex(/^of_[0-9a-f]{20}$/), z.meta({ example: 'of_1b2c3d4e5f60718293a4' })) }),
  JoinWaitlistBody: () => z.strictObject({ vehicleType: z.enum(VEHICLE_TYPES), plate: f.RawPlate }),
  // The quote shown (POST /billing/quote, kind rent): accepting is agreeing to that charge.
  AcceptOfferBody: () => z.strictObject({ quotedAt: f.QuotedAt }),

  CreateTenancyBody: () =>
    z.strictObject({
      carparkId: f.CarparkId,
      vehicleType: z.enum(VEHICLE_TYPES),
      plate: f.RawPlate,
      startDate: z.optional(z.iso.datetime({ offset: true })).check(z.meta({ description: 'Defaults to now' })),
      quotedAt: z.optional(f.QuotedAt),
    }),

  UpdateTenancyBody: () =>
    z
      .strictObject({ plate: z.optional(f.RawPlate), vehicleType: z.optional(z.enum(VEHICLE_TYPES)), quotedAt: z.optional(f.QuotedAt) })
      .check(z.refine((value) => value.plate !== undefined || value.vehicleType !== undefined, { message: 'Give a plate or a vehicle type.' })),

  ListTenanciesQuery: () =>
    z.object({
      carparkId: z.optional(f.CarparkId).check(z.meta({ description: 'Operators: one of your car parks (without it, your own tenancies). Tenants: filters your own.' })),
      userId: z.optional(f.UserId).check(z.meta({ description: 'Admins only' })),
      status: z.optional(z.enum(TENANCY_STATUSES)),
      inArrears: z
        .optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true')))
        .check(z.meta({ description: 'true: only tenancies whose tenant has an unpaid invoice' })),
      limit: pageLimit(),
      cursor: pageCursor(),
    }),

  SearchTenanciesQuery: () =>
    z.object({
      carparkId: f.CarparkId,
      q: z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.meta({ description: 'A plate as read (look-alikes tolerated), or the start of the tenant’s email or name', example: 'SO51 BIO' })),
    }),

  TenancyParams: () => z.object({ tenancyId: f.TenancyId }),
  TenancyPlateParams: () => z.object({ tenancyId: f.TenancyId, plate: z.string().check(z.minLength(1), z.maxLength(40), z.meta({ example: 'AB12CDE' })) }),
  AddPlateBody: () => z.strictObject({ plate: f.RawPlate }),
  DashboardQuery: () =>
    z.object({ carparkId: z.optional(f.CarparkId).check(z.meta({ description: 'One of the operator’s car parks; all of them when omitted' })) }),
  TimelineQuery: () => z.object({ limit: pageLimit(), cursor: pageCursor() }),

  /** As typed: any spacing and case; the API normalises it and refuses what cannot be a plate (422). */
  PlateParams: () => z.object({ plate: z.string().check(z.minLength(1), z.maxLength(40), z.meta({ example: 'SO51 BIO' })) }),

  InvoiceParams: () =>
    z.object({ invoiceId: z.string().check(z.regex(/^in_[A-Za-z0-9]{1,64}$/), z.meta({ example: 'in_1QxYzAbCdEfGh' })) }),

  // One object rather than a union per kind, so that an unknown field is named in the answer.
  QuoteBody: () =>
    z
      .strictObject({
        kind: z.enum(['rent', 'vehicle_change', 'cancel']).check(z.meta({ description: 'rent: carparkId and vehicleType; vehicle_change: tenancyId and vehicleType; cancel: tenancyId' })),
        carparkId: z.optional(f.CarparkId),
        tenancyId: z.optional(f.TenancyId),
        vehicleType: z.optional(z.enum(VEHICLE_TYPES)),
      })
      .check(
        z.refine((q) => q.kind !== 'rent' || (q.carparkId !== undefined && q.vehicleType !== undefined), { message: 'A rental needs carparkId and vehicleType.' }),
        z.refine((q) => q.kind !== 'vehicle_change' || (q.tenancyId !== undefined && q.vehicleType !== undefined), { message: 'A vehicle change needs tenancyId and vehicleType.' }),
        z.refine((q) => q.kind !== 'cancel' || q.tenancyId !== undefined, { message: 'A cancellation needs tenancyId.' }),
      ),

  UpdateBillingBody: () =>
    atLeastOneField(
      z.strictObject({
        email: z.optional(f.Email).check(z.meta({ description: 'Where Stripe sends invoices' })),
        name: z.optional(text(100)),
        defaultPaymentMethod: z
          .optional(z.string().check(z.regex(/^pm_[A-Za-z0-9_]+$/)))
          .check(z.meta({ description: 'A PaymentMethod id from Stripe Elements (or a Stripe test card such as pm_card_visa)' })),
      }),
    ),

  ContactBody: () =>
    z.strictObject({
      name: text(100),
      email: f.Email,
      message: text(5000),
      carparkId: z.optional(f.CarparkId).check(z.meta({ description: 'The car park the message is about; its support address receives it' })),
      website: z.optional(z.string().check(z.maxLength(200))).check(z.meta({ description: 'Leave empty (a trap for bots)' })),
    }),
});
