/**
 * "Pay now" on an unpaid invoice, through the twin: the card on file declined with Stripe's
 * message, another tenant's invoice hidden, and a payment that flows into the usual settlement
 * (Stripe's invoice.paid event settles the arrears).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, type Actor, type Cast } from './actors';
import { renewalLeftOpen, stripeOf, tenancyOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin({ customerTestClocks: true });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const pay = (invoiceId: string, tenant: Actor) => twin.request('POST', `/billing/invoices/${invoiceId}/pay`, { token: tenant.token });

/** A tenant whose renewal could not be charged: an open invoice, under dunning. */
const unpaidRenewal = (email: string, plate: string) => renewalLeftOpen(twin, cast.operatorX, email, plate, 'pm_card_chargeCustomerFail');

describe('POST /billing/invoices/{invoiceId}/pay', () => {
  it('declines with Stripe’s message while the card on file fails, and hides the invoice from other tenants', async () => {
    const { tenant, invoiceId } = await unpaidRenewal('paynow-declined@test.example', 'PN01AAA');

    const declined = await pay(invoiceId, tenant);
    expect(declined.status).toBe(402);
    expect(declined.json).toEqual({ error: { code: 'card_declined', message: 'Your card was declined.' } });

    const other = await pay(invoiceId, cast.tenantB);
    expect(other.status).toBe(404);
    expect((await pay('in_doesnotexist', tenant)).status).toBe(404);
    expect((await twin.request('POST', `/billing/invoices/${invoiceId}/pay`)).status).toBe(401);
    expect((await stripeOf(twin).invoices.retrieve(invoiceId)).status).toBe('open');
  });

  it('pays the open invoice with the card on file, which settles the arrears; a second payment is refused', async () => {
    const { tenant, tenancy, customerId, invoiceId } = await unpaidRenewal('paynow-paid@test.example', 'PN02AAA');
    // The card on file is replaced at Stripe while its events are not delivered (as when it is
    // changed in Stripe's dashboard during an outage), so nothing re-attempts the invoice first.
    const stripe = stripeOf(twin);
    const webhookIds = [...new Set(twin.integrations.stripe.deliveries().map((d) => d.endpointId))];
    for (const id of webhookIds) twin.integrations.stripe.removeWebhookEndpoint(id);
    const visa = await stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: visa.id } });
    twin.integrations.deliverStripeEventsTo(twin.apiUrl);

    const res = await pay(invoiceId, tenant);

    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ invoice: { invoiceId, status: 'paid', amountDue: 10_000, amountPaid: 10_000, hostedInvoiceUrl: expect.stringContaining(invoiceId) } });
    await pollUntil(async () => (await tenancyOf(twin, tenant, tenancy.tenancyId)).arrears === undefined, {
      timeoutMs: 15_000,
      describeFailure: () => 'the payment did not settle the arrears',
    });
    expect((await tenancyOf(twin, tenant, tenancy.tenancyId)).status).toBe('active');

    const again = await pay(invoiceId, tenant);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'invoice_not_open' } });
  });
});
