/**
 * Each route's contract: what it accepts and what it answers. Keyed by the manifest's route id,
 * so a route without a contract does not compile. Handlers validate with these schemas and the
 * OpenAPI document is built from them.
 */
import type * as z from 'zod';
import type { RouteId } from '../routes';
import * as s from './schemas';

export interface RouteContract {
  readonly body?: z.ZodType;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** Success status and its body schema (none for 202/204 without content). */
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly body?: z.ZodType };
  /** Error statuses this route can answer, beyond 400/413/415/422 which every body route has. */
  readonly errors?: readonly (400 | 401 | 402 | 403 | 404 | 409 | 429 | 503)[];
}

export const contracts = {
  Health: { success: { status: 200, body: s.HealthResponse }, errors: [503] },
  OpenApi: { success: { status: 200 } },
  GetConfig: { success: { status: 200, body: s.ConfigResponse }, errors: [503] },
  CreateUser: { body: s.SignUpBody, success: { status: 201, body: s.UserResponse }, errors: [409] },
  ListUsers: { query: s.ListUsersQuery, success: { status: 200, body: s.UserListResponse }, errors: [401, 403] },
  GetUser: { params: s.UserParams, success: { status: 200, body: s.UserResponse }, errors: [401, 404] },
  UpdateUser: {
    params: s.UserParams,
    body: s.UpdateUserBody,
    success: { status: 200, body: s.UserResponse },
    errors: [401, 403, 404, 409],
  },
  LinkXeroContact: {
    params: s.UserParams,
    body: s.LinkXeroContactBody,
    success: { status: 200, body: s.XeroContactLinkResponse },
    errors: [401, 403, 404, 409],
  },
  Login: { body: s.LoginBody, success: { status: 200, body: s.LoginResponse }, errors: [401, 429] },
  ForgotPassword: { body: s.ForgotPasswordBody, success: { status: 202 } },
  ResetPassword: { body: s.ResetPasswordBody, success: { status: 204 } },
  VerifyEmail: { body: s.VerifyEmailBody, success: { status: 204 } },
  CreateOperator: { body: s.CreateOperatorBody, success: { status: 201, body: s.OperatorResponse }, errors: [401, 403] },
  GetOperator: { params: s.OperatorParams, success: { status: 200, body: s.OperatorWithCarparksResponse }, errors: [401, 404] },
  CreateCarpark: {
    body: s.CreateCarparkBody,
    success: { status: 201, body: s.ManagedCarparkResponse },
    errors: [401, 403, 404],
  },
  ListCarparks: { query: s.ListCarparksQuery, success: { status: 200, body: s.CarparkListResponse } },
  GetCarpark: { params: s.CarparkParams, success: { status: 200, body: s.CarparkResponse }, errors: [404] },
  UpdateCarpark: {
    params: s.CarparkParams,
    body: s.UpdateCarparkBody,
    success: { status: 200, body: s.ManagedCarparkResponse },
    errors: [401, 404, 409],
  },
  CreateTenancy: {
    body: s.CreateTenancyBody,
    success: { status: 202, body: s.TenancyWithWarningsResponse },
    errors: [401, 403, 404, 409],
  },
  ListTenancies: { query: s.ListTenanciesQuery, success: { status: 200, body: s.TenancyListResponse }, errors: [401, 404] },
  GetTenancy: { params: s.TenancyParams, success: { status: 200, body: s.TenancyResponse }, errors: [401, 404] },
  UpdateTenancy: {
    params: s.TenancyParams,
    body: s.UpdateTenancyBody,
    success: { status: 202, body: s.TenancyWithWarningsResponse },
    errors: [401, 403, 404, 409],
  },
  CancelTenancy: { params: s.TenancyParams, success: { status: 202, body: s.TenancyResponse }, errors: [401, 404, 409] },
  UndoCancellation: { params: s.TenancyParams, success: { status: 200, body: s.TenancyEnvelope }, errors: [401, 403, 404, 409] },
  LookUpPlate: { params: s.PlateParams, success: { status: 200, body: s.PlateLookupResponse }, errors: [401, 403] },
  GetBilling: { success: { status: 200, body: s.BillingResponse }, errors: [401, 503] },
  CreateBilling: { success: { status: 200, body: s.BillingResponse }, errors: [401, 503] },
  UpdateBilling: { body: s.UpdateBillingBody, success: { status: 200, body: s.BillingResponse }, errors: [401, 402, 503] },
  CreateSetupIntent: { success: { status: 201, body: s.SetupIntentResponse }, errors: [401, 503] },
  PayInvoice: { params: s.InvoiceParams, success: { status: 200, body: s.PaidInvoiceResponse }, errors: [401, 402, 404, 409, 503] },
  GetInvoicePayment: { params: s.InvoiceParams, success: { status: 200, body: s.InvoicePaymentResponse }, errors: [401, 404, 503] },
  Contact: { body: s.ContactBody, success: { status: 202, body: s.ContactAccepted }, errors: [404, 429] },
  // The body is Stripe's event, read raw: the signature covers the exact bytes.
  StripeWebhook: { success: { status: 200, body: s.WebhookAccepted }, errors: [400, 503] },
} as const satisfies Record<RouteId, RouteContract>;
