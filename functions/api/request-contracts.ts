/**
 * Each route's contract as its function needs it at run time: what to check in the request (path
 * parameters, query string, body) and the status a success is sent with. Keyed by the manifest's
 * route id, so a route without one does not compile. What each route answers, for the OpenAPI
 * document, is added in ./contracts.ts; functions load only this and ./requests.ts, because
 * building every response schema costs each cold start time for nothing. A contract (and the
 * schemas in it) is built when first read: a function reads its own route's as it loads.
 */
import type * as z from 'zod/mini';
import type { RouteId } from '../routes';
import { builtOnFirstUse } from './built-on-first-use';
import { requests as r } from './requests';

export interface RequestContract {
  readonly params?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly body?: z.ZodMiniType;
  /** `empty`: the success is sent without a body (whatever the use case returns). */
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly empty?: true };
}

export const requestContracts = builtOnFirstUse({
  Health: () => ({ success: { status: 200 } }),
  OpenApi: () => ({ success: { status: 200 } }),
  GetConfig: () => ({ success: { status: 200 } }),
  CreateUser: () => ({ body: r.SignUpBody, success: { status: 201 } }),
  ListUsers: () => ({ query: r.ListUsersQuery, success: { status: 200 } }),
  GetUser: () => ({ params: r.UserParams, success: { status: 200 } }),
  UpdateUser: () => ({ params: r.UserParams, body: r.UpdateUserBody, success: { status: 200 } }),
  LinkXeroContact: () => ({ params: r.UserParams, body: r.LinkXeroContactBody, success: { status: 200 } }),
  SearchXeroContacts: () => ({ query: r.SearchXeroContactsQuery, success: { status: 200 } }),
  Login: () => ({ body: r.LoginBody, success: { status: 200 } }),
  ForgotPassword: () => ({ body: r.ForgotPasswordBody, success: { status: 202, empty: true } }),
  ResetPassword: () => ({ body: r.ResetPasswordBody, success: { status: 204, empty: true } }),
  VerifyEmail: () => ({ body: r.VerifyEmailBody, success: { status: 204, empty: true } }),
  CreateOperator: () => ({ body: r.CreateOperatorBody, success: { status: 201 } }),
  GetOperator: () => ({ params: r.OperatorParams, success: { status: 200 } }),
  ListOperators: () => ({ query: r.ListOperatorsQuery, success: { status: 200 } }),
  GetPlatformDashboard: () => ({ success: { status: 200 } }),
  GetDashboard: () => ({ params: r.OperatorParams, query: r.DashboardQuery, success: { status: 200 } }),
  ApplyToOperate: () => ({ body: r.ApplyToOperateBody, success: { status: 201 } }),
  GetMyOperatorApplication: () => ({ success: { status: 200 } }),
  ListOperatorApplications: () => ({ query: r.ListApplicationsQuery, success: { status: 200 } }),
  ApproveOperatorApplication: () => ({ params: r.ApplicationParams, success: { status: 200 } }),
  RejectOperatorApplication: () => ({ params: r.ApplicationParams, body: r.RejectApplicationBody, success: { status: 200 } }),
  CreateCarpark: () => ({ body: r.CreateCarparkBody, success: { status: 201 } }),
  ListCarparks: () => ({ query: r.ListCarparksQuery, success: { status: 200 } }),
  GetCarpark: () => ({ params: r.CarparkParams, success: { status: 200 } }),
  UpdateCarpark: () => ({ params: r.CarparkParams, body: r.UpdateCarparkBody, success: { status: 200 } }),
  GetBarrierCheck: () => ({ params: r.CarparkParams, success: { status: 200 } }),
  CreateTenancy: () => ({ body: r.CreateTenancyBody, success: { status: 202 } }),
  ListTenancies: () => ({ query: r.ListTenanciesQuery, success: { status: 200 } }),
  SearchTenancies: () => ({ query: r.SearchTenanciesQuery, success: { status: 200 } }),
  GetTenancy: () => ({ params: r.TenancyParams, success: { status: 200 } }),
  UpdateTenancy: () => ({ params: r.TenancyParams, body: r.UpdateTenancyBody, success: { status: 202 } }),
  CancelTenancy: () => ({ params: r.TenancyParams, success: { status: 202 } }),
  AddPlate: () => ({ params: r.TenancyParams, body: r.AddPlateBody, success: { status: 202 } }),
  RemovePlate: () => ({ params: r.TenancyPlateParams, success: { status: 200 } }),
  UndoCancellation: () => ({ params: r.TenancyParams, success: { status: 200 } }),
  PushToBarrier: () => ({ params: r.TenancyParams, success: { status: 200 } }),
  GetTenancyTimeline: () => ({ params: r.TenancyParams, query: r.TimelineQuery, success: { status: 200 } }),
  LookUpPlate: () => ({ params: r.PlateParams, success: { status: 200 } }),
  GetBilling: () => ({ success: { status: 200 } }),
  CreateBilling: () => ({ success: { status: 200 } }),
  UpdateBilling: () => ({ body: r.UpdateBillingBody, success: { status: 200 } }),
  CreateSetupIntent: () => ({ success: { status: 201 } }),
  QuoteChange: () => ({ body: r.QuoteBody, success: { status: 200 } }),
  JoinWaitlist: () => ({ params: r.CarparkParams, body: r.JoinWaitlistBody, success: { status: 201 } }),
  LeaveWaitlist: () => ({ params: r.WaitlistParams, success: { status: 204, empty: true } }),
  GetMyWaitlist: () => ({ success: { status: 200 } }),
  GetCarparkWaitlist: () => ({ params: r.CarparkParams, success: { status: 200 } }),
  GetOffer: () => ({ params: r.OfferParams, success: { status: 200 } }),
  AcceptOffer: () => ({ params: r.OfferParams, body: r.AcceptOfferBody, success: { status: 202 } }),
  DeclineOffer: () => ({ params: r.OfferParams, success: { status: 200 } }),
  PayInvoice: () => ({ params: r.InvoiceParams, success: { status: 200 } }),
  GetInvoicePayment: () => ({ params: r.InvoiceParams, success: { status: 200 } }),
  Contact: () => ({ body: r.ContactBody, success: { status: 202 } }),
  // The body is Stripe's event, read raw: the signature covers the exact bytes.
  StripeWebhook: () => ({ success: { status: 200 } }),
} satisfies Record<RouteId, () => RequestContract>);
