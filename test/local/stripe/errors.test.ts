import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { rejection, startHarness, type Harness } from './helpers';

describe("errors in Stripe's shape", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.standin.close();
  });

  it('answers an unknown id with 404 resource_missing naming the parameter', async () => {
    const err = await rejection(h.stripe.customers.retrieve('cus_doesnotexist'));
    expect(err).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing', param: 'id', message: "No such customer: 'cus_doesnotexist'" });
    expect(err.doc_url).toBe('https://stripe.com/docs/error-codes/resource-missing');
    expect(err.requestId).toMatch(/^req_/);
    const pm = await rejection(h.stripe.paymentMethods.retrieve('pm_unknown'));
    expect(pm).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such PaymentMethod: 'pm_unknown'" });
  });

  it('answers a declined card with 402 card_error carrying a decline_code', async () => {
    const customer = await h.stripe.customers.create({ email: 'declines@example.com' });
    const err = await rejection(h.stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
  });

  it('answers a missing required parameter with 400 parameter_missing', async () => {
    const err = await rejection(h.stripe.prices.create({ unit_amount: 100, product: 'prod_x' } as unknown as Stripe.PriceCreateParams));
    expect(err).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'currency', message: 'Missing required param: currency.' });
    const items = await rejection(h.stripe.subscriptions.create({ customer: (await h.stripe.customers.create({})).id } as Stripe.SubscriptionCreateParams));
    expect(items).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'items' });
  });

  it('refuses unknown parameters and names unsupported ones', async () => {
    const unknown = await rejection(h.stripe.customers.create({ emial: 'typo@example.com' } as Stripe.CustomerCreateParams));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'emial', message: 'Received unknown parameter: emial' });
    const customer = await h.stripe.customers.create({});
    const unsupported = await rejection(h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: 'price_x' }], trial_period_days: 7 }));
    expect(unsupported).toMatchObject({ statusCode: 400, param: 'trial_period_days' });
    expect(unsupported.message).toContain('not supported by the local Stripe stand-in');
  });

  it('returns the raw error body Stripe does', async () => {
    const res = await fetch(`${h.standin.url}/v1/customers/cus_nope`, { headers: { authorization: 'Bearer sk_test_raw' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(await res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
        message: "No such customer: 'cus_nope'",
        param: 'id',
        request_log_url: expect.stringMatching(/^https:\/\/dashboard\.stripe\.com\/test\/logs\/req_/) as string,
      },
    });
  });

  it('requires a test secret key', async () => {
    const missing = await fetch(`${h.standin.url}/v1/customers`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('You did not provide an API key');
    const live = new Stripe('sk_live_notallowed123', { host: h.standin.host, port: h.standin.port, protocol: 'http', maxNetworkRetries: 0 });
    expect(await rejection(live.customers.list())).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('answers an unknown URL with 404 invalid_request_error', async () => {
    const res = await fetch(`${h.standin.url}/v1/charges_that_do_not_exist`, { headers: { authorization: 'Bearer sk_test_raw' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Unrecognized request URL (GET: /v1/charges_that_do_not_exist)');
  });
});
