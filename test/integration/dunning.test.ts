/**
 * The billing loop end to end on the twin, as a tenant lives it: a paid first invoice and its
 * receipt; a failing card and a renewal that cannot be charged; the dunning workflow's emails and
 * retries following the customer's Stripe test clock; suspension with the plate revoked only
 * after the grace period; a new card paying the open invoice at once and the tenancy reinstated.
 * Assertions are on the outbox, the SmartParking whitelist, the Stripe stand-in and the API.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyListResponse, TenancyResponse, TimelineResponse } from '../../functions/api/schemas';
import { executionArnFor } from '../../local/stepfunctions/engine';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, stripeOf, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const DAY = 86_400;

async function customerOf(tenant: Actor) {
  const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
  const customer = (await stripeOf(twin).customers.retrieve(customerId)) as Stripe.Customer;
  expect(customer.test_clock, 'the twin puts each customer on a test clock').toBeTruthy();
  return { customerId, clockId: customer.test_clock as string };
}

/** Moves the customer's test clock to `frozenTime` and waits until Stripe has done everything due by then. */
async function advanceClockTo(clockId: string, frozenTime: number) {
  const stripe = stripeOf(twin);
  await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  await pollUntil(async () => (await stripe.testHelpers.testClocks.retrieve(clockId)).status === 'ready', {
    timeoutMs: 10_000,
    describeFailure: () => `test clock ${clockId} did not become ready`,
  });
}

/** A minute past the end of the paid month: the renewal is invoiced and charged. */
async function endTheMonth(customerId: string, clockId: string) {
  const [subscription] = (await stripeOf(twin).subscriptions.list({ customer: customerId })).data;
  // Past the renewal's draft hour: then it is finalized and charged.
  await advanceClockTo(clockId, subscription!.items.data[0]!.current_period_end + 3_600 + 60);
}

const mailTo = (tenant: Actor, subject: RegExp) => twin.outbox.waitFor((m) => m.to.includes(tenant.email) && subject.test(m.subject), 15_000);
const countMail = async (tenant: Actor, subject: RegExp) =>
  (await twin.outbox.list()).filter((m) => m.to.includes(tenant.email) && subject.test(m.subject)).length;

async function tenancyOf(tenant: Actor, tenancyId: string) {
  const res = await twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token });
  expect(res.status, res.text).toBe(200);
  return TenancyResponse.parse(res.json);
}

const waitForTenancy = (tenant: Actor, tenancyId: string, check: (t: ReturnType<typeof TenancyResponse.parse>) => boolean, what: string) =>
  pollUntil(
    async () => {
      const tenancy = await tenancyOf(tenant, tenancyId);
      return check(tenancy) ? tenancy : undefined;
    },
    { timeoutMs: 15_000, describeFailure: () => `tenancy ${tenancyId} never became ${what}` },
  );

/** The renewal invoice that failed, once the dunning workflow has recorded it. */
async function openInvoiceOf(customerId: string) {
  return pollUntil(
    async () => (await stripeOf(twin).invoices.list({ customer: customerId, status: 'open' })).data[0],
    { timeoutMs: 10_000, describeFailure: () => `no open invoice for ${customerId}` },
  );
}

const dunningOf = (invoiceId: string) => twin.integrations.workflows.list('InvoiceDunning').filter((e) => e.name === `dunning-${invoiceId}`);

async function activeTenancy(email: string, plate: string) {
  const tenant = await signUp(twin, email);
  await addCard(twin, tenant);
  const carpark = await createCarpark(twin, cast.operatorX, { name: `Dunning ${plate} Car Park` });
  const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId);
  expect(tenancy.status).toBe('active');
  return { tenant, carpark, tenancy, ...(await customerOf(tenant)) };
}

describe('an unpaid renewal', () => {
  it('is chased on schedule, suspends the tenancy after the grace period, and a new card reinstates it', async () => {
    const { tenant, carpark, tenancy, customerId, clockId } = await activeTenancy('dunning-loop@test.example', 'DN11AAA');
    await mailTo(tenant, /^Receipt/);
    expect(whitelist(twin, carpark.siteId)).toEqual(['DN11AAA']);

    // The tenant's card starts failing; the month ends and the renewal cannot be charged.
    const failing = await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_chargeCustomerFail' } });
    expect(failing.status, failing.text).toBe(200);
    await endTheMonth(customerId, clockId);
    const invoice = await openInvoiceOf(customerId);
    const dueSince = invoice.status_transitions.finalized_at!;

    const first = await mailTo(tenant, /did not go through/);
    expect(first.text).toContain('£100.00');
    expect(first.text).toContain(invoice.hosted_invoice_url!);
    expect(first.text).toContain(`${twin.webBaseUrl}/my/billing?pay=${invoice.id}`);
    expect(first.text).toMatch(/try again on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]+ \d{4}/);
    const overdue = await waitForTenancy(tenant, tenancy.tenancyId, (t) => t.arrears?.state === 'overdue', 'overdue');
    expect(overdue).toMatchObject({ status: 'active', arrears: { invoiceId: invoice.id, amountDue: 10_000, currency: 'gbp' } });

    // The operator sees the arrears on the tenancy in their car park's list.
    const listed = await twin.request('GET', `/tenancies?carparkId=${carpark.carparkId}`, { token: cast.operatorX.token });
    expect(listed.status, listed.text).toBe(200);
    // Its state and date, not the tenant's invoice (which may cover other operators' car parks).
    expect(TenancyListResponse.parse(listed.json).items.find((t) => t.tenancyId === tenancy.tenancyId)?.arrears).toEqual({
      state: 'overdue',
      since: new Date(dueSince * 1000).toISOString(),
    });

    // No new space while an invoice is unpaid.
    const another = await twin.request('POST', '/tenancies', {
      token: tenant.token,
      body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: 'DN11ZZZ' },
    });
    expect(another.status, another.text).toBe(409);
    expect((another.json as { error: { code: string } }).error.code).toBe('payment_overdue');

    // Retries on days 1 and 3 fail: an email each, and the barrier still opens (grace period).
    expect(await countMail(tenant, /still could not/), 'no retry before its day').toBe(0);
    await advanceClockTo(clockId, dueSince + 1 * DAY + 60);
    await pollUntil(async () => (await countMail(tenant, /still could not/)) === 1, { timeoutMs: 15_000, describeFailure: () => 'no email after the first retry' });
    await advanceClockTo(clockId, dueSince + 3 * DAY + 60);
    await pollUntil(async () => (await countMail(tenant, /still could not/)) === 2, { timeoutMs: 15_000, describeFailure: () => 'no email after the second retry' });
    expect((await tenancyOf(tenant, tenancy.tenancyId)).status).toBe('active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['DN11AAA']);
    expect((await stripeOf(twin).invoices.retrieve(invoice.id)).attempt_count).toBe(3);

    // Day 5: the last retry fails, so the tenancy is suspended and the plate revoked.
    await advanceClockTo(clockId, dueSince + 5 * DAY + 60);
    // The status changes first, then the plate is revoked.
    const suspended = await waitForTenancy(
      tenant,
      tenancy.tenancyId,
      (t) => t.status === 'suspended' && t.barrier.status === 'revoked',
      'suspended with its plate revoked',
    );
    expect(suspended).toMatchObject({ suspendedFrom: 'active', arrears: { state: 'suspended' } });
    await mailTo(tenant, /suspended/);
    expect(whitelist(twin, carpark.siteId)).toEqual([]);
    const [execution] = dunningOf(invoice.id);
    expect(execution?.status).toBe('SUCCEEDED');

    // A new card pays the open invoice at once, and access comes back.
    const fixed = await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_visa' } });
    expect(fixed.status, fixed.text).toBe(200);
    const reinstated = await waitForTenancy(
      tenant,
      tenancy.tenancyId,
      (t) => t.status === 'active' && t.barrier.status === 'registered',
      'active again with its plate registered',
    );
    expect(reinstated.arrears).toBeUndefined();
    expect(reinstated.suspendedFrom).toBeUndefined();
    expect(whitelist(twin, carpark.siteId)).toEqual(['DN11AAA']);
    await mailTo(tenant, /restored/);
    const paid = await stripeOf(twin).invoices.retrieve(invoice.id);
    expect(paid.status).toBe('paid');
    // Three dunning attempts, then exactly one with the new card, although one card update
    // raises several events (attached, default changed).
    expect(paid.attempt_count).toBe(5);
    await pollUntil(async () => (await countMail(tenant, /^Receipt/)) === 2, { timeoutMs: 10_000, describeFailure: () => 'no receipt for the renewal' });
    expect(dunningOf(invoice.id)).toHaveLength(1);

    // The tenancy's timeline tells the story in order, each step once.
    const timeline = await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: tenant.token });
    expect(timeline.status, timeline.text).toBe(200);
    const events = TimelineResponse.parse(timeline.json).items;
    const billingStory = events.filter((e) => ['card_updated', 'payment_failed', 'payment_retried', 'suspended', 'plate_revoked', 'reinstated'].includes(e.kind));
    expect(billingStory.map((e) => e.kind)).toEqual([
      'card_updated',
      'payment_failed',
      'payment_retried',
      'payment_retried',
      'payment_retried',
      'suspended',
      'plate_revoked',
      'card_updated',
      'reinstated',
    ]);
    expect(billingStory.filter((e) => e.kind === 'payment_retried').map((e) => [e.detail?.attempt, e.detail?.outcome])).toEqual([
      [1, 'declined'],
      [2, 'declined'],
      [3, 'declined'],
    ]);
    expect(events.filter((e) => e.kind === 'invoice_paid').map((e) => e.detail?.invoiceId)).toContain(invoice.id);
    // The operator sees that a payment failed, not the tenant's invoice.
    const seenByOperator = TimelineResponse.parse((await twin.request('GET', `/tenancies/${tenancy.tenancyId}/timeline`, { token: cast.operatorX.token })).json);
    expect(seenByOperator.items.find((e) => e.kind === 'payment_failed')?.detail).toEqual({ currency: 'gbp' });
  });

  it('paid during the grace period ends the dunning at once and never touches the barrier', async () => {
    const { tenant, carpark, tenancy, customerId, clockId } = await activeTenancy('dunning-grace@test.example', 'DN22BBB');
    await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_chargeCustomerFail' } });
    await endTheMonth(customerId, clockId);
    const invoice = await openInvoiceOf(customerId);
    await mailTo(tenant, /did not go through/);
    await waitForTenancy(tenant, tenancy.tenancyId, (t) => t.arrears?.state === 'overdue', 'overdue');

    await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_mastercard' } });
    const execution = await twin.integrations.workflows.waitFor(executionArnFor('InvoiceDunning', `dunning-${invoice.id}`), { timeoutMs: 15_000 });
    expect(execution.status, 'invoice.paid stops the waiting execution').toBe('ABORTED');
    const cleared = await waitForTenancy(tenant, tenancy.tenancyId, (t) => t.arrears === undefined, 'clear of arrears');
    expect(cleared.status).toBe('active');
    expect(whitelist(twin, carpark.siteId)).toEqual(['DN22BBB']);

    // The clock moving past the old retry dates changes nothing: no more attempts, no suspension.
    await advanceClockTo(clockId, invoice.status_transitions.finalized_at! + 6 * DAY);
    expect((await stripeOf(twin).invoices.retrieve(invoice.id)).status).toBe('paid');
    expect((await tenancyOf(tenant, tenancy.tenancyId)).status).toBe('active');
    const chasers = (await twin.outbox.list()).filter((m) => m.to.includes(tenant.email) && /still could not|suspended/.test(m.subject));
    expect(chasers.map((m) => `${m.subject}: ${m.text}`)).toEqual([]);
  });

  it('starts one dunning execution per invoice however often the failure is delivered', async () => {
    const { tenant, customerId, clockId } = await activeTenancy('dunning-dupes@test.example', 'DN33CCC');
    await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: 'pm_card_chargeCustomerFail' } });
    await endTheMonth(customerId, clockId);
    const invoice = await openInvoiceOf(customerId);
    await mailTo(tenant, /did not go through/);

    const events = twin.integrations.stripe.state.events as unknown as { id: string; type: string; data: { object: { id?: string } } }[];
    const failed = events.find((e) => e.type === 'invoice.payment_failed' && e.data.object.id === invoice.id)!;
    const payload = JSON.stringify(failed);
    const { getSecretString } = await import('../../functions/adapters/secrets');
    const secret = await getSecretString(process.env.STRIPE_WEBHOOK_SECRET_ID!);
    const signer = new Stripe('sk_test_unused');
    for (let i = 0; i < 5; i += 1) {
      const header = signer.webhooks.generateTestHeaderString({ payload, secret });
      const res = await twin.request('POST', '/webhooks/stripe', { rawBody: payload, headers: { 'stripe-signature': header } });
      expect(res.status).toBe(200);
    }
    await pollUntil(async () => twin.integrations.bus.archive().filter((e) => (e.detail as { id: string }).id === failed.id).length >= 6, {
      timeoutMs: 10_000,
      describeFailure: () => 'the redelivered events never reached the bus',
    });
    await twin.integrations.bus.waitForIdle(10_000);
    expect(dunningOf(invoice.id)).toHaveLength(1);
    expect(await countMail(tenant, /did not go through/)).toBe(1);
  });
});
