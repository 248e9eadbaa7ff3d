/**
 * Each route's whole contract: what it accepts and the status it answers with
 * (./request-contracts.ts, which the functions load), and the body and errors it answers with.
 * The OpenAPI document and the web app's types are built from these.
 */
import type * as z from 'zod';
import { routes, type RouteId } from '../routes';
import { requestContracts } from './request-contracts';
import * as s from './schemas';

export interface RouteContract {
  readonly body?: z.core.$ZodType;
  readonly params?: z.core.$ZodType;
  readonly query?: z.core.$ZodType;
  /** Success status and its body schema (none for 202/204 without content). */
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly body?: z.core.$ZodType };
  /** Error statuses this route can answer, beyond 400/413/415/422 which every body route has. */
  readonly errors?: readonly (400 | 401 | 402 | 403 | 404 | 409 | 429 | 503)[];
}

interface RouteResponse {
  readonly body?: z.core.$ZodType;
  readonly errors?: RouteContract['errors'];
}

const responses = {
  Health: { body: s.HealthResponse, errors: [503] },
  OpenApi: {},
  GetConfig: { body: s.ConfigResponse, errors: [503] },
  CreateUser: { body: s.UserResponse, errors: [409] },
  ListUsers: { body: s.UserListResponse, errors: [401, 403] },
  GetUser: { body: s.UserResponse, errors: [401, 404] },
  UpdateUser: { body: s.UserResponse, errors: [401, 403, 404, 409] },
  LinkXeroContact: { body: s.XeroContactLinkResponse, errors: [401, 403, 404, 409, 503] },
  SearchXeroContacts: { body: s.XeroContactListResponse, errors: [401, 403, 503] },
  Login: { body: s.LoginResponse, errors: [401, 429] },
  ForgotPassword: {},
  ResetPassword: {},
  VerifyEmail: {},
  CreateOperator: { body: s.OperatorResponse, errors: [401, 403] },
  GetOperator: { body: s.OperatorWithCarparksResponse, errors: [401, 404] },
  ListOperators: { body: s.OperatorListResponse, errors: [401, 403] },
  GetPlatformDashboard: { body: s.PlatformDashboardResponse, errors: [401, 403] },
  GetDashboard: { body: s.DashboardResponse, errors: [401, 404] },
  ApplyToOperate: { body: s.OperatorApplicationResponse, errors: [401, 403, 409, 429] },
  GetMyOperatorApplication: { body: s.MyOperatorApplicationResponse, errors: [401] },
  ListOperatorApplications: { body: s.OperatorApplicationListResponse, errors: [401, 403] },
  ApproveOperatorApplication: { body: s.OperatorApplicationResponse, errors: [401, 403, 404, 409] },
  RejectOperatorApplication: { body: s.OperatorApplicationResponse, errors: [401, 403, 404, 409] },
  CreateCarpark: { body: s.ManagedCarparkResponse, errors: [401, 403, 404] },
  ListCarparks: { body: s.CarparkListResponse },
  GetCarpark: { body: s.CarparkResponse, errors: [404] },
  UpdateCarpark: { body: s.ManagedCarparkResponse, errors: [401, 404, 409] },
  GetBarrierCheck: { body: s.BarrierCheckResponse, errors: [401, 404] },
  CreateTenancy: { body: s.TenancyWithWarningsResponse, errors: [401, 403, 404, 409] },
  ListTenancies: { body: s.TenancyListResponse, errors: [401, 404] },
  GetTenancy: { body: s.ListedTenancyResponse, errors: [401, 404] },
  UpdateTenancy: { body: s.TenancyWithWarningsResponse, errors: [401, 403, 404, 409] },
  CancelTenancy: { body: s.TenancyResponse, errors: [401, 404, 409] },
  AddPlate: { body: s.TenancyWithWarningsResponse, errors: [401, 403, 404, 409] },
  RemovePlate: { body: s.TenancyResponse, errors: [401, 403, 404, 409] },
  UndoCancellation: { body: s.TenancyEnvelope, errors: [401, 403, 404, 409] },
  PushToBarrier: { body: s.BarrierPushResponse, errors: [401, 403, 404, 409, 503] },
  SearchTenancies: { body: s.TenancySearchResponse, errors: [401, 404] },
  GetTenancyTimeline: { body: s.TimelineResponse, errors: [401, 404] },
  LookUpPlate: { body: s.PlateLookupResponse, errors: [401, 403] },
  GetBilling: { body: s.BillingResponse, errors: [401, 503] },
  CreateBilling: { body: s.BillingResponse, errors: [401, 503] },
  UpdateBilling: { body: s.BillingResponse, errors: [401, 402, 503] },
  CreateSetupIntent: { body: s.SetupIntentResponse, errors: [401, 503] },
  QuoteChange: { body: s.QuoteResponse, errors: [401, 403, 404, 409, 503] },
  JoinWaitlist: { body: s.WaitlistEntryResponse, errors: [401, 403, 404, 409] },
  LeaveWaitlist: { errors: [401, 404] },
  GetMyWaitlist: { body: s.MyWaitlistResponse, errors: [401] },
  GetCarparkWaitlist: { body: s.CarparkWaitlistResponse, errors: [401, 404] },
  GetOffer: { body: s.OfferResponse, errors: [401, 404] },
  AcceptOffer: { body: s.TenancyWithWarningsResponse, errors: [401, 403, 404, 409] },
  DeclineOffer: { body: s.OfferResponse, errors: [401, 404, 409] },
  PayInvoice: { body: s.PaidInvoiceResponse, errors: [401, 402, 404, 409, 503] },
  GetInvoicePayment: { body: s.InvoicePaymentResponse, errors: [401, 404, 503] },
  Contact: { body: s.ContactAccepted, errors: [404, 429] },
  StripeWebhook: { body: s.WebhookAccepted, errors: [400, 503] },
} as const satisfies Record<RouteId, RouteResponse>;

function contractOf(id: RouteId): RouteContract {
  const { success, ...request } = requestContracts[id] as (typeof requestContracts)[RouteId];
  const response: RouteResponse = responses[id];
  if ('empty' in success && response.body) throw new Error(`Route ${id} answers without a body but documents one`);
  return {
    ...request,
    success: { status: success.status, ...(response.body ? { body: response.body } : {}) },
    ...(response.errors ? { errors: response.errors } : {}),
  };
}

export const contracts = Object.fromEntries(routes.map((route) => [route.id, contractOf(route.id)])) as Record<RouteId, RouteContract>;
