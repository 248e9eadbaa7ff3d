import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { boundary, prorate } from '../../../local/stripe/billing/periods';
import { advanceClock, customerWithCard, DAY, eventsFor, monthlyPrice, rejection, startHarness, type Harness } from './helpers';

describe('test clocks drive renewals', () => {
  let h: Harness;
  let price: Stripe.Price;
  const start = Math.floor(Date.UTC(2032, 0, 31, 10) / 1000); // 31 January: later periods end on month ends

  beforeAll(async () => {
    h = await startHarness();
    price = await monthlyPrice(h.stripe, 10_000);
  });

  afterAll(async () => {
    await h.standin.close();
  });

  async function tenantOnClock(): Promise<{ clock: Stripe.TestHelpers.TestClock; customer: Stripe.Customer; sub: Stripe.Subscription }> {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    return { clock, customer, sub };
  }

  it('renews after one month: a new paid invoice for the next period and invoice.paid', async () => {
    // Prepare
    const { clock, customer, sub } = await tenantOnClock();
    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    expect(periodEnd).toBe(Date.UTC(2032, 1, 29, 10) / 1000); // leap-year February, clamped
    // Act: at the period end, the renewal is a draft for an hour (as at Stripe)
    await advanceClock(h.stripe, clock.id, periodEnd + 60);
    const draft = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0] as Stripe.Invoice;
    expect(draft).toMatchObject({ billing_reason: 'subscription_cycle', status: 'draft', amount_paid: 0, automatically_finalizes_at: periodEnd + 3_600 });
    expect(eventsFor(h.standin, 'invoice.paid', draft.id)).toHaveLength(0);
    // Act: the hour is over, it is finalized and charged
    const ready = await advanceClock(h.stripe, clock.id, periodEnd + 3_600 + 60);
    // Assess
    expect(ready).toMatchObject({ status: 'ready', frozen_time: periodEnd + 3_600 + 60 });
    const invoices = (await h.stripe.invoices.list({ customer: customer.id })).data;
    expect(invoices).toHaveLength(2);
    const renewal = invoices[0] as Stripe.Invoice;
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: 10_000,
      created: periodEnd,
      period_start: start,
      period_end: periodEnd,
      automatically_finalizes_at: null,
      status_transitions: { finalized_at: periodEnd + 3_600, paid_at: periodEnd + 3_600 },
    });
    expect(renewal.lines.data[0]?.period).toEqual({ start: periodEnd, end: Date.UTC(2032, 2, 31, 10) / 1000 });
    expect(eventsFor(h.standin, 'invoice.paid', renewal.id)).toHaveLength(1);
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(renewed).toMatchObject({ status: 'active', latest_invoice: renewal.id });
    expect(renewed.items.data[0]).toMatchObject({ current_period_start: periodEnd });
    expect(eventsFor(h.standin, 'test_helpers.test_clock.ready', clock.id)).toHaveLength(2);
  });

  it('creates one invoice per elapsed period, each dated at its own period end', async () => {
    const { clock, customer } = await tenantOnClock();
    await advanceClock(h.stripe, clock.id, boundary(start, 'month', 1, 2));
    const created = (await h.stripe.invoices.list({ customer: customer.id })).data.map((i) => i.created);
    expect(created).toEqual([boundary(start, 'month', 1, 2), boundary(start, 'month', 1, 1), start]);
  });

  it('refuses to go backwards or further than two intervals of the shortest subscription', async () => {
    const { clock } = await tenantOnClock();
    expect(await rejection(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start - 1 }))).toMatchObject({ statusCode: 400, param: 'frozen_time' });
    expect(await rejection(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 70 * DAY }))).toMatchObject({ statusCode: 400, param: 'frozen_time' });
    expect((await h.stripe.testHelpers.testClocks.retrieve(clock.id)).status).toBe('ready');
  });

  it('ends a subscription set to cancel at period end instead of renewing it', async () => {
    const { clock, customer, sub } = await tenantOnClock();
    const marked = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    expect(marked).toMatchObject({ cancel_at_period_end: true, cancel_at: periodEnd, status: 'active' });
    await advanceClock(h.stripe, clock.id, periodEnd + DAY);
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', ended_at: periodEnd });
    expect(eventsFor(h.standin, 'customer.subscription.deleted', sub.id)).toHaveLength(1);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it('bills a mid-period quantity rise on the next invoice, as the preview said it would', async () => {
    // Prepare
    const { clock, sub } = await tenantOnClock();
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    const changeAt = start + 10 * DAY;
    await advanceClock(h.stripe, clock.id, changeAt);
    // Act: a second tenancy on the same price, prorated
    await h.stripe.subscriptionItems.update(item.id, { quantity: 2, proration_behavior: 'create_prorations' });
    const preview = await h.stripe.invoices.createPreview({ subscription: sub.id });
    await advanceClock(h.stripe, clock.id, item.current_period_end);
    // Assess
    const credit = -prorate(10_000, changeAt, item.current_period_start, item.current_period_end);
    const charge = prorate(20_000, changeAt, item.current_period_start, item.current_period_end);
    const invoice = (await h.stripe.invoices.list({ subscription: sub.id, limit: 1 })).data[0] as Stripe.Invoice;
    expect(invoice.lines.data.map((l) => l.amount).sort((a, b) => a - b)).toEqual([credit, charge, 20_000].sort((a, b) => a - b));
    expect(invoice.total).toBe(20_000 + credit + charge);
    expect(preview.total).toBe(invoice.total);
    expect(preview.lines.data.map((l) => l.description).sort()).toEqual(invoice.lines.data.map((l) => l.description).sort());
    expect(invoice.lines.data.filter((l) => l.parent?.subscription_item_details?.proration)).toHaveLength(2);
    expect((await h.stripe.invoiceItems.list({ pending: true, customer: String(sub.customer) })).data).toHaveLength(0);
  });

  it('charges a quantity rise at once with always_invoice', async () => {
    const { clock, sub } = await tenantOnClock();
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    await advanceClock(h.stripe, clock.id, start + 5 * DAY);
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 3 }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    const expected = prorate(30_000, start + 5 * DAY, item.current_period_start, item.current_period_end) - prorate(10_000, start + 5 * DAY, item.current_period_start, item.current_period_end);
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid', amount_paid: expected });
  });
});

describe('customers without a test clock', () => {
  it('renew only when tick() is called, against the injected now()', async () => {
    // Prepare
    let nowMs = Date.UTC(2034, 4, 10, 9);
    const h = await startHarness({ now: () => nowMs });
    try {
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
      const price = await monthlyPrice(h.stripe, 7_700);
      const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      expect(sub.start_date).toBe(nowMs / 1000);
      // Act / Assess: nothing is due yet, and moving time alone does nothing
      expect(h.standin.tick()).toEqual({ actions: 0 });
      nowMs = Date.UTC(2034, 5, 10, 9) + 1000;
      expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(1);
      expect(h.standin.tick()).toEqual({ actions: 1 });
      // The renewal is drafted; an hour later it is finalized and charged.
      nowMs += 3_600_000;
      expect(h.standin.tick()).toEqual({ actions: 1 });
      const invoices = (await h.stripe.invoices.list({ customer: customer.id })).data;
      expect(invoices.map((i) => [i.billing_reason, i.status])).toEqual([
        ['subscription_cycle', 'paid'],
        ['subscription_create', 'paid'],
      ]);
    } finally {
      await h.standin.close();
    }
  });

  it('previews the first invoice of a subscription that does not exist yet', async () => {
    const h = await startHarness();
    try {
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
      const car = await monthlyPrice(h.stripe, 11_000);
      const bike = await monthlyPrice(h.stripe, 2_500, 'Riverside — bicycle');
      const preview = await h.stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items: [{ price: car.id, quantity: 2 }, { price: bike.id }] },
      });
      expect(preview).toMatchObject({ object: 'invoice', billing_reason: 'subscription_create', total: 24_500, amount_due: 24_500, status: 'draft' });
      expect(preview.id).toMatch(/^upcoming_in_/);
      expect(h.standin.state.invoices).toHaveLength(0);
    } finally {
      await h.standin.close();
    }
  });

  it('prorates the first invoice up to a future billing_cycle_anchor', async () => {
    const nowMs = Date.UTC(2034, 6, 16, 0);
    const h = await startHarness({ now: () => nowMs });
    try {
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
      const price = await monthlyPrice(h.stripe, 31_000);
      const anchor = Date.UTC(2034, 7, 1, 0) / 1000;
      const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], billing_cycle_anchor: anchor, expand: ['latest_invoice'] });
      // 16 days left of a 31-day July period.
      expect(sub.latest_invoice).toMatchObject({ status: 'paid', amount_paid: 16_000 });
      expect(sub.items.data[0]).toMatchObject({ current_period_start: nowMs / 1000, current_period_end: anchor });
      expect(sub.billing_cycle_anchor).toBe(anchor);
    } finally {
      await h.standin.close();
    }
  });
});

describe('cancelling with a credit', () => {
  it('credits the unused time to the customer balance, which pays towards the next invoice', async () => {
    // Prepare: a tenancy paid for a month, cancelled ten days in
    let nowMs = Date.UTC(2035, 2, 1, 12);
    const h = await startHarness({ now: () => nowMs });
    try {
      const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
      const price = await monthlyPrice(h.stripe, 31_000);
      const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      const item = sub.items.data[0] as Stripe.SubscriptionItem;
      nowMs += 10 * DAY * 1000;
      // Act
      await h.stripe.subscriptions.cancel(sub.id, { prorate: true, invoice_now: true });
      // Assess
      const credit = prorate(31_000, nowMs / 1000, item.current_period_start, item.current_period_end);
      const final = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0] as Stripe.Invoice;
      expect(final).toMatchObject({ total: -credit, amount_due: 0, status: 'paid', starting_balance: 0, ending_balance: -credit });
      expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-credit);
      const next = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], expand: ['latest_invoice'] });
      expect(next.latest_invoice).toMatchObject({ total: 31_000, amount_due: 31_000 - credit, amount_paid: 31_000 - credit, starting_balance: -credit });
      const page = await fetch(String((next.latest_invoice as Stripe.Invoice).hosted_invoice_url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain((next.latest_invoice as Stripe.Invoice).number);
    } finally {
      await h.standin.close();
    }
  });
});

describe('customer test clocks (the twin setting)', () => {
  it('gives each customer created without one a clock of its own, frozen at its creation', async () => {
    const h = await startHarness({ customerTestClocks: true });
    try {
      const before = Math.floor(Date.now() / 1000);
      const a = await h.stripe.customers.create({ email: 'a@test.example' });
      const b = await h.stripe.customers.create({ email: 'b@test.example' });
      expect(a.test_clock).toEqual(expect.stringMatching(/^clock_/));
      expect(b.test_clock).not.toBe(a.test_clock);
      const clock = await h.stripe.testHelpers.testClocks.retrieve(a.test_clock as string);
      expect(clock.frozen_time).toBeGreaterThanOrEqual(before);
      expect(clock.name).toBe('Customer a@test.example');

      // An explicit clock is kept.
      const shared = await h.stripe.testHelpers.testClocks.create({ frozen_time: before });
      const c = await h.stripe.customers.create({ email: 'c@test.example', test_clock: shared.id });
      expect(c.test_clock).toBe(shared.id);

      // The clocks page lists them with their customers.
      const page = await (await fetch(`${h.standin.url}/_standin/clocks`)).text();
      expect(page).toContain('a@test.example');
      expect(page).toContain(`data-clock="${a.test_clock as string}"`);
    } finally {
      await h.standin.close();
    }
  });

  it('leaves customers off any clock by default, as Stripe does', async () => {
    const h = await startHarness();
    try {
      expect((await h.stripe.customers.create({ email: 'd@test.example' })).test_clock).toBeNull();
    } finally {
      await h.standin.close();
    }
  });
});
