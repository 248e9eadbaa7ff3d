/**
 * Strong Customer Authentication through the twin: a renewal the bank wants authenticated is
 * refused by "pay now" with the payment's client secret, the owner (only) reads what the browser
 * needs from GET /billing/invoices/{id}/payment, and authenticating the payment (as Stripe.js
 * does, with the publishable key and the client secret) pays the invoice, which settles the
 * arrears and reinstates the tenancy like any paid invoice.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicePaymentResponse } from '../../functions/api/schemas';
import { AUTHENTICATION_WINDOW_MS } from '../../functions/domain/tenancy-workflow';
import { STANDIN_PUBLISHABLE_KEY } from '../../local/stripe/stripe-js';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, renewalLeftOpen, rent, stripeOf, tenancyOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const paymentOf = (invoiceId: string, tenant: Actor) => twin.request('GET', `/billing/invoices/${invoiceId}/payment`, { token: tenant.token });

/** A tenant whose renewal asked for authentication: an open invoice, under dunning. */
const renewalAskingForAuthentication = (email: string, plate: string) => renewalLeftOpen(twin, cast.operatorX, email, plate, 'pm_card_authenticationRequired');

/** What Stripe.js does on the tenant's behalf: complete the test 3-D Secure step, then confirm. */
async function authenticateAsTheBrowser(clientSecret: string, outcome: 'complete' | 'fail') {
  const standin = twin.integrations.stripe;
  const id = clientSecret.slice(0, clientSecret.indexOf('_secret_'));
  const form = (params: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const authenticated = await fetch(`${standin.url}/_standin/payment_intents/${id}/authenticate`, form({ client_secret: clientSecret, outcome }));
  expect(authenticated.status).toBe(200);
  if (outcome === 'fail') return;
  const confirmed = await fetch(`${standin.url}/v1/payment_intents/${id}/confirm`, form({ key: STANDIN_PUBLISHABLE_KEY, client_secret: clientSecret }));
  expect(((await confirmed.json()) as { status: string }).status).toBe('succeeded');
}

describe('paying an invoice the bank wants authenticated', () => {
  it('pay now answers 409 authentication_required with the client secret; the owner reads the payment, others get 404', async () => {
    const { tenant, invoiceId } = await renewalAskingForAuthentication('sca-409@test.example', 'SC01AAA');

    const refused = await twin.request('POST', `/billing/invoices/${invoiceId}/pay`, { token: tenant.token });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: { code: 'authentication_required', clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/) } });

    const res = await paymentOf(invoiceId, tenant);
    expect(res.status, res.text).toBe(200);
    const payment = InvoicePaymentResponse.parse(res.json);
    expect(payment).toMatchObject({ invoiceId, status: 'open', amountDue: 10_000, amountRemaining: 10_000, currency: 'gbp' });
    expect(payment.clientSecret).toBe((refused.json as { error: { clientSecret: string } }).error.clientSecret);

    expect((await paymentOf(invoiceId, cast.tenantB)).status).toBe(404);
    expect((await paymentOf('in_doesnotexist', tenant)).status).toBe(404);
    expect((await twin.request('GET', `/billing/invoices/${invoiceId}/payment`)).status).toBe(401);
  });

  it('authenticating the payment pays the invoice, settles the arrears and reinstates the tenancy; a failed authentication changes nothing', async () => {
    const { tenant, tenancy, invoiceId } = await renewalAskingForAuthentication('sca-paid@test.example', 'SC02AAA');
    // Dunning asks for the confirmation, not a new attempt: the email links the portal page that does it.
    const asked = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && /^Please confirm your payment of £100\.00$/.test(m.subject), 15_000);
    expect(asked.text).toContain(`/my/billing/authenticate/${invoiceId}`);
    expect(asked.text).toContain('Your bank asks you to confirm this payment');
    const { clientSecret } = InvoicePaymentResponse.parse((await paymentOf(invoiceId, tenant)).json);
    expect(clientSecret).toBeTruthy();

    await authenticateAsTheBrowser(clientSecret!, 'fail');
    expect(InvoicePaymentResponse.parse((await paymentOf(invoiceId, tenant)).json).status).toBe('open');
    // A failed authentication leaves the payment needing a new attempt: paying again asks again.
    const again = await twin.request('POST', `/billing/invoices/${invoiceId}/pay`, { token: tenant.token });
    expect(again.json).toMatchObject({ error: { code: 'authentication_required', clientSecret } });

    await authenticateAsTheBrowser(clientSecret!, 'complete');
    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancy.tenancyId)).arrears === undefined, {
      timeoutMs: 15_000,
      describeFailure: () => 'the authenticated payment did not settle the arrears',
    });
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).status).toBe('active');
    expect(InvoicePaymentResponse.parse((await paymentOf(invoiceId, tenant)).json)).toMatchObject({ status: 'paid', clientSecret: null, amountRemaining: 0 });
  });
});

describe('a new tenancy whose first charge the bank wants authenticated', () => {
  const freeCars = async (carparkId: string) => ((await twin.request('GET', `/carparks/${carparkId}`)).json as { spacesFree: { car: number } }).spacesFree.car;
  const waitingTenancy = (tenant: Actor, tenancyId: string) =>
    pollUntil(
      async () => {
        const tenancy = await tenancyOf(twin, tenant, tenancyId);
        return tenancy.awaitingAuthentication ? tenancy : undefined;
      },
      { timeoutMs: 20_000, describeFailure: () => `${tenancyId} never waited for authentication` },
    );
  const becomesActive = (tenant: Actor, tenancyId: string) =>
    pollUntil(async () => (await tenancyOf(twin, tenant, tenancyId)).status === 'active', {
      timeoutMs: 20_000,
      describeFailure: () => `${tenancyId} did not become active after the payment was confirmed`,
    });

  it('waits holding its space, asks the tenant by email, and goes live once the payment is confirmed — a first subscription and a second space alike', async () => {
    const tenant = await signUp(twin, 'sca-setup@test.example');
    await addCard(twin, tenant, 'pm_card_authenticationRequired');
    const carpark = await createCarpark(twin, cast.operatorX);
    const free = await freeCars(carpark.carparkId);

    // The first space: the subscription is created incomplete, its first invoice open.
    const before = Date.now();
    const first = await rent(twin, tenant, carpark.carparkId, 'SC03AAA');
    const waiting = await waitingTenancy(tenant, first.tenancyId);
    expect(waiting.status).toBe('pending');
    const until = Date.parse(waiting.awaitingAuthentication!.until);
    expect(until).toBeGreaterThanOrEqual(before + AUTHENTICATION_WINDOW_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + AUTHENTICATION_WINDOW_MS);
    expect(await freeCars(carpark.carparkId), 'the space is held while the tenant confirms').toBe(free - 1);
    expect(whitelist(twin, carpark.siteId), 'nothing opens the barrier before the payment').toEqual([]);
    const asked = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && /^Please confirm your payment for /.test(m.subject), 15_000);
    expect(asked.text).toContain(`/my/billing/authenticate/${waiting.awaitingAuthentication!.invoiceId}`);

    const { clientSecret } = InvoicePaymentResponse.parse((await paymentOf(waiting.awaitingAuthentication!.invoiceId, tenant)).json);
    await authenticateAsTheBrowser(clientSecret!, 'complete');
    await becomesActive(tenant, first.tenancyId);
    expect((await tenancyOf(twin, tenant, first.tenancyId)).awaitingAuthentication).toBeUndefined();
    expect(whitelist(twin, carpark.siteId)).toEqual(['SC03AAA']);
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([1]);
    // The setup asked; dunning left the held-open first charge alone (no arrears, no chasing).
    expect((await tenancyOf(twin, tenant, first.tenancyId)).arrears).toBeUndefined();
    const chased = (await twin.outbox.list()).filter((m) => m.to.includes(tenant.email) && /^Please confirm your payment of /.test(m.subject));
    expect(chased.map((m) => m.subject)).toEqual([]);

    // A second space raises the quantity: the change's invoice waits the same way.
    const second = await rent(twin, tenant, carpark.carparkId, 'SC04AAA');
    const secondWaiting = await waitingTenancy(tenant, second.tenancyId);
    expect(secondWaiting.awaitingAuthentication!.invoiceId).not.toBe(waiting.awaitingAuthentication!.invoiceId);
    const secret = InvoicePaymentResponse.parse((await paymentOf(secondWaiting.awaitingAuthentication!.invoiceId, tenant)).json).clientSecret;
    await authenticateAsTheBrowser(secret!, 'complete');
    await becomesActive(tenant, second.tenancyId);
    expect(whitelist(twin, carpark.siteId).sort()).toEqual(['SC03AAA', 'SC04AAA']);
    expect(Object.values(await billedQuantities(twin, tenant))).toEqual([2]);
  });

  it('unconfirmed by the deadline, is undone: the invoice voided, nothing billed or credited, the space back, the tenant told', async () => {
    const tenant = await signUp(twin, 'sca-expired@test.example');
    await addCard(twin, tenant, 'pm_card_authenticationRequired');
    const carpark = await createCarpark(twin, cast.operatorX);
    const free = await freeCars(carpark.carparkId);
    const { tenancyId } = await rent(twin, tenant, carpark.carparkId, 'SC05AAA');
    const waiting = await waitingTenancy(tenant, tenancyId);
    const invoiceId = waiting.awaitingAuthentication!.invoiceId;

    const [{ sweepDeps }, { sweepTenancies }] = await Promise.all([
      import('../../functions/handlers/jobs/sweep-tenancies'),
      import('../../functions/domain/sweeper'),
    ]);
    // Before the deadline the sweeper leaves it waiting; after it, the setup is resumed and undone.
    expect((await sweepTenancies(sweepDeps)).resumed.map((r) => r.tenancyId)).not.toContain(tenancyId);
    const later = { now: () => new Date(Date.parse(waiting.awaitingAuthentication!.until) + 60_000) };
    expect((await sweepTenancies({ ...sweepDeps, clock: later })).resumed).toContainEqual({ tenancyId, kind: 'setup' });

    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancyId)).status === 'failed', {
      timeoutMs: 20_000,
      describeFailure: () => 'the unconfirmed setup was not undone',
    });
    // The tenancy fails before its billing is undone: the email, sent last, says the undo is over.
    await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && /^We could not start your tenancy/.test(m.subject), 15_000);
    expect((await tenancyOf(twin, tenant, tenancyId)).failureReason).toMatch(/not confirmed with your bank in time/);
    expect((await stripeOf(twin).invoices.retrieve(invoiceId)).status).toBe('void');
    expect(await billedQuantities(twin, tenant)).toEqual({});
    expect(await freeCars(carpark.carparkId)).toBe(free);
    const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
    expect((await stripeOf(twin).customers.retrieve(customerId) as Stripe.Customer).balance, 'nothing credited for what was never paid').toBe(0);
    await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && /^We could not start your tenancy/.test(m.subject), 15_000);
  });

  it('cancelled by the tenant while waiting, is undone at once: the invoice voided, nothing billed, the space back; a second cancel changes nothing', async () => {
    const tenant = await signUp(twin, 'sca-withdrawn@test.example');
    await addCard(twin, tenant, 'pm_card_authenticationRequired');
    const carpark = await createCarpark(twin, cast.operatorX);
    const free = await freeCars(carpark.carparkId);
    const { tenancyId } = await rent(twin, tenant, carpark.carparkId, 'SC06AAA');
    const waiting = await waitingTenancy(tenant, tenancyId);
    const invoiceId = waiting.awaitingAuthentication!.invoiceId;

    const cancelled = await twin.request('DELETE', `/tenancies/${tenancyId}`, { token: tenant.token });
    expect(cancelled.status).toBe(202);
    expect(cancelled.json).toMatchObject({ status: 'pending', awaitingAuthentication: { invoiceId, withdrawn: true } });
    const again = await twin.request('DELETE', `/tenancies/${tenancyId}`, { token: tenant.token });
    expect(again.status).toBe(202);

    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancyId)).status === 'failed', {
      timeoutMs: 20_000,
      describeFailure: () => 'the withdrawn setup was not undone',
    });
    // The tenancy fails before its billing is undone: the email, sent last, says the undo is over.
    const told = await twin.outbox.waitFor((m) => m.to.includes(tenant.email) && /^Your rental at .* is cancelled$/.test(m.subject), 15_000);
    expect(told.text).toContain('nothing was charged');
    expect((await tenancyOf(twin, tenant, tenancyId)).failureReason).toMatch(/^You cancelled it before confirming the first payment/);
    expect((await stripeOf(twin).invoices.retrieve(invoiceId)).status).toBe('void');
    expect(await billedQuantities(twin, tenant)).toEqual({});
    expect(await freeCars(carpark.carparkId)).toBe(free);
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
  });
});
