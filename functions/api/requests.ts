/**
 * What the API accepts (zod): bodies, path parameters and query strings, and the fields they share
 * with the responses. Handlers validate with these; they are kept apart from the responses
 * (./schemas.ts) because every function builds them when it loads, and a function only needs to
 * check what comes in.
 */
import * as z from 'zod';
import { CURRENCIES, VEHICLE_TYPES } from '../domain/carparks';
import { ACCOUNT_TYPES, ROLES } from '../domain/identity';
import { TENANCY_STATUSES } from '../domain/tenancies';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { isTimeZone } from '../domain/email-format';

// --- building blocks -----------------------------------------------------------------------------

export const text = (max: number) => z.string().trim().min(1).max(max);
export const Email = z.email().max(254).meta({ description: 'Case-insensitive; stored in lower case', example: 'sam@example.com' });
const Phone = z
  .string()
  .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'Use digits, spaces, brackets or dashes, optionally starting with +')
  .meta({ example: '+44 20 7946 0000' });
/** Length is capped here; strength rules (with their reasons) are the domain's. */
const Password = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const UserId = z.string().regex(/^usr_[0-9a-f]{20}$/).meta({ example: 'usr_4f1c2a9be07d3c5a6b10' });
export const OperatorId = z.string().regex(/^op_[0-9a-f]{20}$/).meta({ example: 'op_0c3e9d4a1b2f5e6d7a80' });
export const CarparkId = z.string().regex(/^cp_[0-9a-f]{20}$/).meta({ example: 'cp_9a8b7c6d5e4f3a2b1c0d' });
export const TenancyId = z.string().regex(/^tn_[0-9a-f]{20}$/).meta({ example: 'tn_1b2c3d4e5f60718293a4' });
/** Xero's ContactID; stored in lower case. */
export const XeroContactId = z.guid().meta({ example: '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d' });

export const perVehicleType = (value: z.ZodNumber, description: string) =>
  z.strictObject(Object.fromEntries(VEHICLE_TYPES.map((t) => [t, value.optional()])) as Record<(typeof VEHICLE_TYPES)[number], z.ZodOptional<z.ZodNumber>>).meta({ description });

/** Monthly price in integer minor units (pence, cents). */
export const Prices = perVehicleType(z.int().min(50).max(10_000_000), 'Monthly price per vehicle type, integer minor units (e.g. pence)');
export const Capacity = perVehicleType(z.int().min(0).max(100_000), 'Spaces per vehicle type');

export const Address = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  postcode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. GB').meta({ example: 'GB' }),
});

export const atLeastOneField = <T extends z.ZodObject>(schema: T) =>
  schema.refine((value) => Object.keys(value).length > 0, { message: 'Give at least one field to change.' });

// --- bodies, path parameters, query strings ------------------------------------------------------

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

/** As typed: any spacing and case; the API normalises it and refuses what cannot be a plate (422). */
export const PlateParams = z.object({ plate: z.string().min(1).max(40).meta({ example: 'SO51 BIO' }) });

export const InvoiceParams = z.object({ invoiceId: z.string().regex(/^in_[A-Za-z0-9]{1,64}$/).meta({ example: 'in_1QxYzAbCdEfGh' }) });

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

export const ContactBody = z.strictObject({
  name: text(100),
  email: Email,
  message: text(5000),
  carparkId: CarparkId.optional().meta({ description: 'The car park the message is about; its support address receives it' }),
  website: z.string().max(200).optional().meta({ description: 'Leave empty (a trap for bots)' }),
});
