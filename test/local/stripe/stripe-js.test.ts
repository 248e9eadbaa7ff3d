import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STANDIN_PUBLISHABLE_KEY } from '../../../local/stripe/stripe-js';
import { loadStripeJs, type ShimElement, type ShimWindow, type StripeLike } from './dom-shim';
import { eventually, startHarness, type Harness } from './helpers';

describe('the Stripe.js stand-in script', () => {
  let h: Harness;
  let source: string;

  beforeAll(async () => {
    h = await startHarness();
    const res = await fetch(h.standin.stripeJsUrl, { headers: { origin: 'http://127.0.0.1:3000' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    source = await res.text();
  });

  afterAll(async () => {
    await h.standin.close();
  });

  /** A SetupIntent as POST /billing/setup-intent creates it: for a customer, off session. */
  async function setupIntent() {
    const customer = await h.stripe.customers.create({ email: `t${Math.random()}@example.com` });
    const si = await h.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
    return { customerId: customer.id, clientSecret: si.client_secret as string, id: si.id };
  }

  let win: ShimWindow;
  let stripe: StripeLike;
  let container: ShimElement;

  beforeEach(() => {
    win = loadStripeJs(source);
    stripe = win.Stripe(STANDIN_PUBLISHABLE_KEY);
    container = win.document.body.appendChild(win.document.createElement('div'));
    container.setAttribute('id', 'card');
  });

  const radios = () => container.querySelectorAll('input');
  const radio = (paymentMethod: string) => {
    const input = radios().find((r) => r.value === paymentMethod);
    if (!input) throw new Error(`no radio for ${paymentMethod}`);
    return input;
  };
  const labelOf = (input: ShimElement) => container.querySelector(`label[for="${input.id}"]`)?.textContent;

  async function mounted(clientSecret: string) {
    const elements = stripe.elements({ clientSecret });
    const element = elements.create('payment');
    const events: { name: string; payload: Record<string, unknown> }[] = [];
    element.on('ready', (payload) => events.push({ name: 'ready', payload }));
    element.on('change', (payload) => events.push({ name: 'change', payload }));
    element.mount('#card');
    await eventually(() => events.some((e) => e.name === 'ready'), 'the ready event');
    return { elements, element, events };
  }

  it('is served with the stand-in origin filled in, and refuses a key that is not a test publishable key', () => {
    expect(source).toContain(JSON.stringify(h.standin.url));
    expect(source).not.toContain('__STRIPE_STANDIN_URL__');
    expect(() => win.Stripe('sk_test_local')).toThrow(/pk_test_/);
  });

  it('mounts a labelled radio group of test cards and reports ready, then change with complete once a card is chosen', async () => {
    const { clientSecret } = await setupIntent();
    const { events } = await mounted(clientSecret);

    const fieldset = container.querySelector('fieldset');
    expect(fieldset?.querySelector('legend')?.textContent).toBe('Test card');
    expect(radios().map((r) => [r.value, labelOf(r)])).toEqual([
      ['pm_card_visa', 'Visa — succeeds'],
      ['pm_card_chargeCustomerFail', 'Declined on every charge'],
      ['pm_card_authenticationRequiredOnSetup', 'Asks for authentication'],
      ['pm_card_authenticationRequired', 'Asks for authentication on every payment'],
      ['pm_card_chargeDeclined', 'Declined when added'],
    ]);
    // One group (same name): arrow keys move between the cards, Tab leaves the group.
    expect(new Set(radios().map((r) => r.getAttribute('name'))).size).toBe(1);
    expect(radios().every((r) => r.getAttribute('type') === 'radio' && !r.checked)).toBe(true);

    radio('pm_card_visa').choose();
    expect(events.filter((e) => e.name === 'change').map((e) => e.payload)).toEqual([
      { elementType: 'payment', empty: false, complete: true, value: { type: 'card' } },
    ]);
  });

  it('confirms the SetupIntent with the chosen card: succeeded, with a new PaymentMethod attached to the customer', async () => {
    const { clientSecret, customerId, id } = await setupIntent();
    const { elements } = await mounted(clientSecret);
    radio('pm_card_visa').choose();

    const result = await stripe.confirmSetup({ elements, redirect: 'if_required' });

    expect(result.error).toBeUndefined();
    expect(result.setupIntent).toMatchObject({ id, status: 'succeeded', payment_method: expect.stringMatching(/^pm_/) });
    const attached = await h.stripe.paymentMethods.retrieve(result.setupIntent!.payment_method!);
    expect(attached).toMatchObject({ customer: customerId, card: { last4: '4242' } });
    expect(win.navigations).toEqual([]);
  });

  it('resolves a card declined at set-up as a card_error, without throwing', async () => {
    const { clientSecret } = await setupIntent();
    const { elements } = await mounted(clientSecret);
    radio('pm_card_chargeDeclined').choose();

    const result = await stripe.confirmSetup({ elements, redirect: 'if_required' });

    expect(result.setupIntent).toBeUndefined();
    expect(result.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
  });

  it('resolves a validation error when no card was chosen', async () => {
    const { clientSecret } = await setupIntent();
    const { elements } = await mounted(clientSecret);

    expect(await elements.submit()).toEqual({ error: expect.objectContaining({ type: 'validation_error', code: 'incomplete' }) });
    expect(await stripe.confirmSetup({ elements, redirect: 'if_required' })).toEqual({
      error: expect.objectContaining({ type: 'validation_error', code: 'incomplete' }),
    });
  });

  it('resolves an api_connection_error when the stand-in cannot be reached', async () => {
    const offline = loadStripeJs(source.replace(JSON.stringify(h.standin.url), JSON.stringify('http://127.0.0.1:9')));
    const s = offline.Stripe(STANDIN_PUBLISHABLE_KEY);
    const result = await s.confirmCardSetup('seti_123_secret_abc', { payment_method: 'pm_card_visa' });
    expect(result.error).toMatchObject({ type: 'api_connection_error' });
  });

  describe('a card that asks for authentication', () => {
    async function confirmAndAnswer(answer: 'Complete authentication' | 'Fail authentication') {
      const { clientSecret, customerId, id } = await setupIntent();
      const { elements } = await mounted(clientSecret);
      radio('pm_card_authenticationRequiredOnSetup').choose();
      const pending = stripe.confirmSetup({ elements, redirect: 'if_required' });

      const dialog = await eventually(() => win.document.querySelector('[role="dialog"]') ?? undefined, 'the authentication dialog');
      expect(dialog.getAttribute('aria-modal')).toBe('true');
      const title = win.document.querySelector(`#${dialog.getAttribute('aria-labelledby')}`);
      expect(title?.textContent).toBe('Test card authentication');
      const buttons = dialog.querySelectorAll('button');
      expect(buttons.map((b) => b.textContent)).toEqual(['Complete authentication', 'Fail authentication']);
      // Focus starts on the dialog and Tab keeps it there.
      expect(win.document.activeElement).toBe(buttons[0]);
      buttons[0]!.dispatch('keydown', { key: 'Tab' });
      expect(win.document.activeElement).toBe(buttons[1]);
      expect((await h.stripe.setupIntents.retrieve(id)).status).toBe('requires_action');

      buttons.find((b) => b.textContent === answer)!.click();
      const result = await pending;
      expect(win.document.querySelector('[role="dialog"]')).toBeNull();
      return { result, customerId, id };
    }

    it('succeeds once the test authentication is completed', async () => {
      const { result, customerId } = await confirmAndAnswer('Complete authentication');
      expect(result.setupIntent).toMatchObject({ status: 'succeeded' });
      expect(await h.stripe.paymentMethods.retrieve(result.setupIntent!.payment_method!)).toMatchObject({ customer: customerId });
    });

    it('fails with setup_intent_authentication_failure when the test authentication fails, leaving the card unattached', async () => {
      const { result, id } = await confirmAndAnswer('Fail authentication');
      expect(result.error).toMatchObject({ type: 'invalid_request_error', code: 'setup_intent_authentication_failure' });
      expect(await h.stripe.setupIntents.retrieve(id)).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    });
  });

  describe("an invoice's payment that asks for authentication", () => {
    async function answerDialog(answer: 'Complete authentication' | 'Fail authentication') {
      const dialog = await eventually(() => win.document.querySelector('[role="dialog"]') ?? undefined, 'the authentication dialog');
      dialog.querySelectorAll('button').find((b) => b.textContent === answer)!.click();
    }

    async function renewalAskingForAuthentication() {
      const frozen = Math.floor(Date.UTC(2030, 0, 15, 9) / 1000);
      const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: frozen });
      const product = await h.stripe.products.create({ name: 'Bay' });
      const price = await h.stripe.prices.create({ product: product.id, unit_amount: 9_500, currency: 'gbp', recurring: { interval: 'month' } });
      const customer = await h.stripe.customers.create({ email: `p${Math.random()}@example.com`, test_clock: clock.id, payment_method: 'pm_card_visa' });
      const visa = (await h.stripe.customers.listPaymentMethods(customer.id)).data[0]!;
      await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
      await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete', off_session: true });
      const card = await h.stripe.paymentMethods.attach('pm_card_authenticationRequired', { customer: customer.id });
      await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
      await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen + 32 * 86_400 });
      const invoice = await eventually(async () => {
        const [latest] = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data;
        return latest && latest.billing_reason === 'subscription_cycle' && latest.status === 'open' ? latest : undefined;
      }, 'the open renewal');
      const withSecret = await h.stripe.invoices.retrieve(invoice.id!, { expand: ['confirmation_secret'] });
      return { invoiceId: invoice.id!, clientSecret: withSecret.confirmation_secret!.client_secret };
    }

    it('confirmCardPayment shows the test dialog and, completed, confirms the payment: the invoice is paid', async () => {
      const { invoiceId, clientSecret } = await renewalAskingForAuthentication();
      expect(clientSecret).toMatch(/^pi_\w+_secret_\w+$/);
      const pending = stripe.confirmCardPayment(clientSecret);
      await answerDialog('Complete authentication');
      const result = await pending;
      expect(result.paymentIntent).toMatchObject({ status: 'succeeded', object: 'payment_intent' });
      expect((await h.stripe.invoices.retrieve(invoiceId)).status).toBe('paid');
    });

    it('handleNextAction with a failed authentication answers payment_intent_authentication_failure and leaves the invoice open', async () => {
      const { invoiceId, clientSecret } = await renewalAskingForAuthentication();
      const pending = stripe.handleNextAction({ clientSecret });
      await answerDialog('Fail authentication');
      const result = await pending;
      expect(result.error).toMatchObject({ code: 'payment_intent_authentication_failure' });
      expect((await h.stripe.invoices.retrieve(invoiceId)).status).toBe('open');
    });
  });

  it('unmounts and destroys the element', async () => {
    const { clientSecret } = await setupIntent();
    const { element, elements } = await mounted(clientSecret);
    element.unmount();
    expect(container.querySelector('fieldset')).toBeNull();
    element.mount(container);
    expect(container.querySelector('fieldset')).not.toBeNull();
    element.destroy();
    expect(container.querySelector('fieldset')).toBeNull();
    expect(elements.getElement('payment')).toBeNull();
    expect(() => element.mount('#card')).toThrow(/destroyed/);
    expect(elements.create('card')).toBeTruthy();
  });

  it('redirects to return_url after success unless redirect is if_required', async () => {
    const { clientSecret, id } = await setupIntent();
    const { elements } = await mounted(clientSecret);
    radio('pm_card_visa').choose();
    const result = await stripe.confirmSetup({ elements, confirmParams: { return_url: 'http://127.0.0.1:3000/my/billing' } });
    expect(result.setupIntent?.status).toBe('succeeded');
    expect(win.navigations).toHaveLength(1);
    const to = new URL(win.navigations[0]!);
    expect(Object.fromEntries(to.searchParams)).toEqual({ setup_intent: id, setup_intent_client_secret: clientSecret, redirect_status: 'succeeded' });
  });
});

describe('the publishable key on the stand-in API', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.standin.close();
  });

  const post = (path: string, params: Record<string, string>) =>
    fetch(`${h.standin.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:3000' },
      body: new URLSearchParams(params).toString(),
    });

  it('reads a SetupIntent only with its client secret, and never anything else', async () => {
    const customer = await h.stripe.customers.create({});
    const si = await h.stripe.setupIntents.create({ customer: customer.id });
    const get = (query: string) => fetch(`${h.standin.url}/v1/setup_intents/${si.id}?${query}`);

    const ok = await get(`key=${STANDIN_PUBLISHABLE_KEY}&client_secret=${si.client_secret}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(await ok.json()).toMatchObject({ id: si.id, status: 'requires_payment_method' });

    expect((await get(`key=${STANDIN_PUBLISHABLE_KEY}&client_secret=${si.id}_secret_wrong`)).status).toBe(400);
    expect((await fetch(`${h.standin.url}/v1/customers/${customer.id}?key=${STANDIN_PUBLISHABLE_KEY}`)).status).toBe(401);
    expect((await post(`/v1/customers`, { key: STANDIN_PUBLISHABLE_KEY })).status).toBe(401);
    expect((await post(`/v1/setup_intents/${si.id}/confirm`, { key: 'pk_live_nope', client_secret: String(si.client_secret), payment_method: 'pm_card_visa' })).status).toBe(401);
  });

  it('confirms with the client secret and emits setup_intent.succeeded for the platform', async () => {
    const customer = await h.stripe.customers.create({});
    const si = await h.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
    const res = await post(`/v1/setup_intents/${si.id}/confirm`, { key: STANDIN_PUBLISHABLE_KEY, client_secret: String(si.client_secret), payment_method: 'pm_card_visa' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'succeeded', usage: 'off_session' });
    expect(h.standin.state.events.filter((e) => e.type === 'setup_intent.succeeded')).toHaveLength(1);
  });

  it('answers a browser preflight', async () => {
    const res = await fetch(`${h.standin.url}/v1/setup_intents/seti_x/confirm`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
