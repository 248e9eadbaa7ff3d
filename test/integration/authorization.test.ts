/**
 * Every route × every kind of caller. Another tenant's or operator's object answers 404, not
 * 403, so that callers cannot learn what exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteId } from '../../functions/routes';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { PASSWORD, applicationInput, applyToOperate, carparkInput, createCast, signUp, type Cast } from './actors';
import { addCard, rent, settle } from './tenancy-helpers';

type ActorName = 'anonymous' | 'tenantA' | 'tenantB' | 'operatorX' | 'operatorY' | 'admin';
const ACTORS: ActorName[] = ['anonymous', 'tenantA', 'tenantB', 'operatorX', 'operatorY', 'admin'];

interface Case {
  request: (cast: Cast, actor: ActorName) => { method: string; path: string; body?: unknown };
  expect: Record<ActorName, number>;
}

const all = (status: number): Record<ActorName, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<ActorName, number>;

let unique = 0;

/** One entry per manifest route: the compiler refuses a route without its row. */
const matrix: Record<RouteId, Case> = {
  Health: { request: () => ({ method: 'GET', path: '/health' }), expect: all(200) },
  OpenApi: { request: () => ({ method: 'GET', path: '/openapi.json' }), expect: all(200) },
  GetConfig: { request: () => ({ method: 'GET', path: '/config' }), expect: all(200) },
  CreateUser: {
    request: () => ({
      method: 'POST',
      path: '/users',
      body: { email: `new${++unique}@test.example`, password: PASSWORD, name: 'New', accountType: 'corporate' },
    }),
    expect: all(201),
  },
  ListUsers: {
    request: (c) => ({ method: 'GET', path: `/users?email=${encodeURIComponent(c.tenantA.email.slice(0, 6))}` }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  GetUser: {
    request: (c) => ({ method: 'GET', path: `/users/${c.tenantA.userId}` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 404, operatorY: 404, admin: 200 },
  },
  UpdateUser: {
    request: (c) => ({ method: 'PATCH', path: `/users/${c.tenantA.userId}`, body: { name: 'Tenant A' } }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 404, operatorY: 404, admin: 200 },
  },
  LinkXeroContact: {
    request: () => ({ method: 'PUT', path: `/users/${corporateUserId}/xero-contact`, body: { contactId: xeroContactId } }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  SearchXeroContacts: {
    request: () => ({ method: 'GET', path: '/xero/contacts?search=authorization' }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  Login: {
    request: (c) => ({ method: 'POST', path: '/auth/login', body: { email: c.tenantB.email, password: PASSWORD } }),
    expect: all(200),
  },
  ForgotPassword: {
    // A new address each time: reset emails are limited per recipient.
    request: () => ({ method: 'POST', path: '/auth/forgot-password', body: { email: `forgot${++unique}@test.example` } }),
    expect: all(202),
  },
  ResetPassword: {
    request: () => ({ method: 'POST', path: '/auth/reset-password', body: { token: 'x'.repeat(43), password: 'Another-pass-2026' } }),
    expect: all(400),
  },
  VerifyEmail: {
    request: () => ({ method: 'POST', path: '/auth/verify-email', body: { token: 'x'.repeat(43) } }),
    expect: all(400),
  },
  CreateOperator: {
    request: () => ({ method: 'POST', path: '/operators', body: { name: `Op ${++unique}`, contactEmail: 'ops@test.example' } }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 201 },
  },
  GetOperator: {
    request: (c) => ({ method: 'GET', path: `/operators/${c.operatorX.operatorId}` }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  ListOperators: {
    request: () => ({ method: 'GET', path: '/operators?limit=5' }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  GetPlatformDashboard: {
    request: () => ({ method: 'GET', path: '/platform/dashboard' }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  GetDashboard: {
    request: (c) => ({ method: 'GET', path: `/operators/${c.operatorX.operatorId}/dashboard` }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  ApplyToOperate: {
    // Tenants apply (each once: a second while it is open is a 409, see operator-applications.test.ts); everyone else runs car parks already.
    request: () => ({ method: 'POST', path: '/operator-applications', body: applicationInput() }),
    expect: { anonymous: 401, tenantA: 201, tenantB: 201, operatorX: 403, operatorY: 403, admin: 403 },
  },
  GetMyOperatorApplication: {
    request: () => ({ method: 'GET', path: '/operator-applications/mine' }),
    expect: { ...all(200), anonymous: 401 },
  },
  ListOperatorApplications: {
    request: () => ({ method: 'GET', path: '/operator-applications?status=pending&limit=5' }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  ApproveOperatorApplication: {
    // Someone else's application (approving tenant A's would end A's sessions for the rows after).
    request: () => ({ method: 'POST', path: `/operator-applications/${applicationToApprove}/approve` }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  RejectOperatorApplication: {
    request: () => ({ method: 'POST', path: `/operator-applications/${applicationToReject}/reject`, body: { reason: 'Not a car park we can list.' } }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 403, operatorY: 403, admin: 200 },
  },
  CreateCarpark: {
    // Operators create for their own operator; an admin must name one.
    request: (c, actor) => ({
      method: 'POST',
      path: '/carparks',
      body: carparkInput(actor === 'admin' ? { operatorId: c.operatorX.operatorId } : {}),
    }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 201, operatorY: 201, admin: 201 },
  },
  ListCarparks: { request: () => ({ method: 'GET', path: '/carparks' }), expect: all(200) },
  GetCarpark: { request: (c) => ({ method: 'GET', path: `/carparks/${c.operatorX.carparkId}` }), expect: all(200) },
  GetBarrierCheck: {
    request: (c) => ({ method: 'GET', path: `/carparks/${c.operatorX.carparkId}/barrier-check` }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  UpdateCarpark: {
    request: (c) => ({ method: 'PATCH', path: `/carparks/${c.operatorX.carparkId}`, body: { name: 'Xpark Central' } }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  CreateTenancy: {
    request: (c) => ({
      method: 'POST',
      path: '/tenancies',
      body: { carparkId: c.operatorX.carparkId, vehicleType: 'car', plate: `AZ${String(++unique).padStart(2, '0')}XYZ` },
    }),
    expect: { anonymous: 401, tenantA: 202, tenantB: 202, operatorX: 403, operatorY: 403, admin: 403 },
  },
  ListTenancies: {
    request: (c) => ({ method: 'GET', path: `/tenancies?carparkId=${c.operatorX.carparkId}` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 200, operatorX: 200, operatorY: 404, admin: 200 },
  },
  GetTenancy: {
    request: () => ({ method: 'GET', path: `/tenancies/${tenancyOfA[0]}` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  UpdateTenancy: {
    // The same plate: allowed callers get an accepted no-op, so the row has no side effects.
    request: () => ({ method: 'PATCH', path: `/tenancies/${tenancyOfA[0]}`, body: { plate: 'TA00AAA' } }),
    expect: { anonymous: 401, tenantA: 202, tenantB: 404, operatorX: 403, operatorY: 404, admin: 403 },
  },
  AddPlate: {
    // The plate it has: allowed callers get an accepted no-op.
    request: () => ({ method: 'POST', path: `/tenancies/${tenancyOfA[0]}/plates`, body: { plate: 'TA00AAA' } }),
    expect: { anonymous: 401, tenantA: 202, tenantB: 404, operatorX: 403, operatorY: 404, admin: 403 },
  },
  RemovePlate: {
    // Its only plate: the owner is let through to the rule that a tenancy keeps one (409).
    request: () => ({ method: 'DELETE', path: `/tenancies/${tenancyOfA[0]}/plates/TA00AAA` }),
    expect: { anonymous: 401, tenantA: 409, tenantB: 404, operatorX: 403, operatorY: 404, admin: 403 },
  },
  CancelTenancy: {
    // Each caller allowed to cancel gets a tenancy of its own to cancel.
    request: (_c, actor) => ({
      method: 'DELETE',
      path: `/tenancies/${tenancyOfA[{ tenantA: 1, operatorX: 2, admin: 3 }[actor as string] ?? 0]}`,
    }),
    expect: { anonymous: 401, tenantA: 202, tenantB: 404, operatorX: 202, operatorY: 404, admin: 202 },
  },
  UndoCancellation: {
    // [4] is cancelling (its end kept off by hand): the tenant takes it back; an operator or admin who may see it may not.
    request: () => ({ method: 'POST', path: `/tenancies/${tenancyOfA[4]}/undo-cancellation` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 403, operatorY: 404, admin: 403 },
  },
  PushToBarrier: {
    // [0] is tenant A's active tenancy at operator X's car park: X and the admin put it back on the
    // barrier; Y (not its car park) finds nothing; tenants may not push plates at all.
    request: () => ({ method: 'POST', path: `/tenancies/${tenancyOfA[0]}/barrier` }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 200, operatorY: 404, admin: 200 },
  },
  SearchTenancies: {
    // Operator X's car park: X and the admin search it; Y and tenants are told it does not exist.
    request: (c) => ({ method: 'GET', path: `/tenancies/search?carparkId=${c.operatorX.carparkId}&q=TA00AAA` }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  GetTenancyTimeline: {
    request: () => ({ method: 'GET', path: `/tenancies/${tenancyOfA[0]}/timeline` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  LookUpPlate: {
    // Tenant A's plate at operator X's car park, typed with a look-alike (O for 0): X and the admin
    // find it, Y (not its car park) finds nothing (200, empty: see plate-lookup.test.ts), tenants may not look.
    request: () => ({ method: 'GET', path: '/plates/TAO0AAA' }),
    expect: { anonymous: 401, tenantA: 403, tenantB: 403, operatorX: 200, operatorY: 200, admin: 200 },
  },
  GetBilling: { request: () => ({ method: 'GET', path: '/billing' }), expect: { ...all(200), anonymous: 401 } },
  CreateBilling: { request: () => ({ method: 'POST', path: '/billing' }), expect: { ...all(200), anonymous: 401 } },
  UpdateBilling: {
    request: () => ({ method: 'PATCH', path: '/billing', body: { name: 'Billing Name' } }),
    expect: { ...all(200), anonymous: 401 },
  },
  CreateSetupIntent: { request: () => ({ method: 'POST', path: '/billing/setup-intent' }), expect: { ...all(201), anonymous: 401 } },
  QuoteChange: {
    // What cancelling tenant A's tenancy would change: only A may ask; tenants rent, so staff are refused.
    request: () => ({ method: 'POST', path: '/billing/quote', body: { kind: 'cancel', tenancyId: tenancyOfA[0] } }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 403, operatorY: 403, admin: 403 },
  },
  JoinWaitlist: {
    // A full car park's line: each tenant joins once; staff do not rent.
    request: (_c, actor) => ({ method: 'POST', path: `/carparks/${fullCarparkId}/waitlist`, body: { vehicleType: 'car', plate: `WL${actor.length}0ABC` } }),
    expect: { anonymous: 401, tenantA: 201, tenantB: 201, operatorX: 403, operatorY: 403, admin: 403 },
  },
  LeaveWaitlist: {
    // Only one's own place: those who joined above leave; anyone else has none.
    request: () => ({ method: 'DELETE', path: `/carparks/${fullCarparkId}/waitlist/car` }),
    expect: { anonymous: 401, tenantA: 204, tenantB: 204, operatorX: 404, operatorY: 404, admin: 404 },
  },
  GetMyWaitlist: { request: () => ({ method: 'GET', path: '/waitlist' }), expect: { ...all(200), anonymous: 401 } },
  GetCarparkWaitlist: {
    request: () => ({ method: 'GET', path: `/carparks/${fullCarparkId}/waitlist` }),
    expect: { anonymous: 401, tenantA: 404, tenantB: 404, operatorX: 200, operatorY: 404, admin: 200 },
  },
  GetOffer: {
    request: () => ({ method: 'GET', path: `/offers/${offerOfA}` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 404, operatorY: 404, admin: 404 },
  },
  AcceptOffer: {
    // Tenant A's offer becomes A's tenancy; staff do not rent, other tenants are told it does not exist.
    request: () => ({ method: 'POST', path: `/offers/${offerOfA}/accept`, body: { quotedAt: new Date().toISOString() } }),
    expect: { anonymous: 401, tenantA: 202, tenantB: 404, operatorX: 403, operatorY: 403, admin: 403 },
  },
  DeclineOffer: {
    // Accepted above: A is told it is not open; to anyone else it does not exist.
    request: () => ({ method: 'POST', path: `/offers/${offerOfA}/decline` }),
    expect: { anonymous: 401, tenantA: 409, tenantB: 404, operatorX: 404, operatorY: 404, admin: 404 },
  },
  PayInvoice: {
    // Tenant A's first invoice, paid already: A is told so; to anyone else it does not exist.
    request: () => ({ method: 'POST', path: `/billing/invoices/${invoiceOfA}/pay` }),
    expect: { anonymous: 401, tenantA: 409, tenantB: 404, operatorX: 404, operatorY: 404, admin: 404 },
  },
  GetInvoicePayment: {
    // Only the invoice's owner sees its payment; to anyone else it does not exist.
    request: () => ({ method: 'GET', path: `/billing/invoices/${invoiceOfA}/payment` }),
    expect: { anonymous: 401, tenantA: 200, tenantB: 404, operatorX: 404, operatorY: 404, admin: 404 },
  },
  Contact: {
    // The hidden field keeps these six out of the sender's hourly limit (contact.test.ts covers it).
    request: () => ({ method: 'POST', path: '/contact', body: { name: 'Visitor', email: 'visitor@test.example', message: 'Hello', website: 'x' } }),
    expect: all(202),
  },
  // Stripe signs, not users: without a valid signature everyone is refused alike.
  StripeWebhook: { request: () => ({ method: 'POST', path: '/webhooks/stripe', body: { id: 'evt_1', type: 'invoice.paid' } }), expect: all(400) },
};

/** Tenant A's tenancies at operator X's car park: [0] is read, [1..3] are cancelled by A, X and the admin, [4] is taken back. */
const tenancyOfA: string[] = [];
/** Tenant A's first invoice. */
let invoiceOfA: string;
/** Operator X's car park with its one car space taken; and an offer of a space made to tenant A from a waitlist. */
let fullCarparkId: string;
let offerOfA: string;
/** A corporate tenant, whom only an admin may link to a Xero contact. */
let corporateUserId: string;
/** The Xero contact that user may be linked to. */
let xeroContactId: string;
/** Other applicants' pending applications, which only an admin may decide. */
let applicationToApprove: string;
let applicationToReject: string;

let twin: TestTwin;
let cast: Cast;

beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
  await Promise.all([addCard(twin, cast.tenantA), addCard(twin, cast.tenantB)]);
  corporateUserId = (await signUp(twin, 'corporate@test.example', { accountType: 'corporate' })).userId;
  xeroContactId = twin.integrations.xero.addContact({ name: 'Authorization Test Ltd' });
  applicationToApprove = (await applyToOperate(twin, await signUp(twin, 'applicant.1@test.example'))).applicationId;
  applicationToReject = (await applyToOperate(twin, await signUp(twin, 'applicant.2@test.example'))).applicationId;
  for (const plate of ['TA00AAA', 'TA01AAA', 'TA02AAA', 'TA03AAA', 'TA04AAA']) {
    const tenancy = await rent(twin, cast.tenantA, cast.operatorX.carparkId, plate);
    await settle(twin, cast.tenantA, tenancy.tenancyId);
    tenancyOfA.push(tenancy.tenancyId);
  }
  invoiceOfA = ((await twin.request('GET', '/billing', { token: cast.tenantA.token })).json as { recentInvoices: { invoiceId: string }[] }).recentInvoices[0]!.invoiceId;
  // A car park of one space, taken; A waits for a second, which the operator then adds: A is offered it.
  const full = await twin.request('POST', '/carparks', { token: cast.operatorX.token, body: carparkInput({ capacity: { car: 1, motorcycle: 1 } }) });
  fullCarparkId = (full.json as { carparkId: string }).carparkId;
  await settle(twin, cast.tenantB, (await rent(twin, cast.tenantB, fullCarparkId, 'TB00FUL')).tenancyId);
  const offered = await twin.request('POST', '/carparks', { token: cast.operatorX.token, body: carparkInput({ capacity: { car: 1, motorcycle: 1 } }) });
  const offeredId = (offered.json as { carparkId: string }).carparkId;
  await settle(twin, cast.tenantB, (await rent(twin, cast.tenantB, offeredId, 'TB01FUL')).tenancyId);
  expect((await twin.request('POST', `/carparks/${offeredId}/waitlist`, { token: cast.tenantA.token, body: { vehicleType: 'car', plate: 'TA09OFR' } })).status).toBe(201);
  expect((await twin.request('PATCH', `/carparks/${offeredId}`, { token: cast.operatorX.token, body: { capacity: { car: 2, motorcycle: 1 } } })).status).toBe(200);
  offerOfA = await pollUntil(
    async () => ((await twin.request('GET', '/waitlist', { token: cast.tenantA.token })).json as { offers: { offerId: string }[] }).offers[0]?.offerId,
    { timeoutMs: 15_000, describeFailure: () => 'tenant A was never offered the space added' },
  );
  // Cancelling without a workflow (the twin's waits pass at once here, which would end it).
  await tenancyRepository.transition(tenancyOfA[4]!, ['active'], { status: 'cancelling', cancellationId: 'by-hand', updatedAt: new Date().toISOString() });
});
afterAll(() => twin?.close());

describe('authorization on every route', () => {
  it('has a row for every route in the manifest', () => {
    expect(Object.keys(matrix).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  for (const route of routes) {
    it.each(ACTORS)(`${route.method} ${route.path} as %s`, async (actor) => {
      const row = matrix[route.id];
      const { method, path, body } = row.request(cast, actor);
      const token = actor === 'anonymous' ? undefined : cast[actor].token;
      const res = await twin.request(method, path, { body, token });
      expect(res.status, JSON.stringify(res.json)).toBe(row.expect[actor]);
      if (res.status >= 400 && res.status !== 401) expect(res.json).toHaveProperty('error.code');
    });
  }

  it('answers 401 to a forged or expired token as to no token', async () => {
    const forged = `${cast.tenantA.token.slice(0, -4)}AAAA`;
    expect((await twin.request('GET', `/users/${cast.tenantA.userId}`, { token: forged })).status).toBe(401);
    expect((await twin.request('GET', `/users/${cast.tenantA.userId}`, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('hides another operator id from an operator creating a car park', async () => {
    const res = await twin.request('POST', '/carparks', {
      token: cast.operatorY.token,
      body: carparkInput({ operatorId: cast.operatorX.operatorId }),
    });
    expect(res.status).toBe(404);
  });
});
