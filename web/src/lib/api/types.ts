/** Named shapes of the API's answers, taken from the generated operations. */
import type { operations } from './schema';

type JsonOf<Operation extends keyof operations, Status extends number> = operations[Operation]['responses'] extends {
  [S in Status]: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type User = JsonOf<'GetUser', 200>;
export type Carpark = JsonOf<'GetCarpark', 200>;
export type CarparkList = JsonOf<'ListCarparks', 200>;
export type Tenancy = JsonOf<'GetTenancy', 200>;
export type TenancyWithWarnings = JsonOf<'CreateTenancy', 202>;
export type Billing = JsonOf<'GetBilling', 200>;
export type Quote = JsonOf<'QuoteChange', 200>;
export type MyWaitlist = JsonOf<'GetMyWaitlist', 200>;
export type WaitlistOffer = JsonOf<'GetOffer', 200>;
export type CarparkWaitlist = JsonOf<'GetCarparkWaitlist', 200>;
export type QuoteRequest = operations['QuoteChange']['requestBody']['content']['application/json'];
export type ErrorBody = JsonOf<'CreateUser', 422>;
export type ManagedCarpark = JsonOf<'UpdateCarpark', 200>;
export type TenancyList = JsonOf<'ListTenancies', 200>;
export type TenancyTimeline = JsonOf<'GetTenancyTimeline', 200>;
export type TimelineEvent = TenancyTimeline['items'][number];
export type Dashboard = JsonOf<'GetDashboard', 200>;
export type PlatformDashboard = JsonOf<'GetPlatformDashboard', 200>;
