import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, customerWithCard, DAY, eventsFor, monthlyPrice, rejection, startHarness, type Harness } from './helpers';
import { sdkTypeChecker, type TypeProblems } from './sdk-types';

/**
 * One-off billing: invoice items created with `POST /v1/invoiceitems` and invoices created with
 * `POST /v1/invoices`, through the real SDK, then finalized and paid like any other invoice.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('invoice items and one-off invoices', () => {
  let h: Harness;
  let sdkProblems: TypeProblems;
  /** Every object the calls below returned, checked against its SDK type at the end. */
  const seen: { type: string; value: unknown }[] = [];
  const keep = <T>(type: string, value: T): T => {
    seen.push({ type, value });
    return value;
  };

  beforeAll(async () => {
    sdkProblems = sdkTypeChecker(repoRoot, ['Stripe.Invoice', 'Stripe.InvoiceItem', 'Stripe.DeletedInvoiceItem', 'Stripe.Event']);
    h = await startHarness();
  });

  afterAll(async () => {
    await h.standin.close();
  });

  async function oneTimePrice(unitAmount: number, name = 'Replacement access fob'): Promise<Stripe.Price> {
    const product = await h.stripe.products.create({ name });
    return h.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: unitAmount });
  }

  it('creates a pending invoice item from an amount and currency, dated now for a zero-length period', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const item = keep('Stripe.InvoiceItem', await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1_250, currency: 'gbp', description: 'Late exit fee', metadata: { reason: 'late' } }));
    expect(item).toMatchObject({
      object: 'invoiceitem',
      customer: customer.id,
      amount: 1_250,
      currency: 'gbp',
      description: 'Late exit fee',
      metadata: { reason: 'late' },
      invoice: null,
      parent: null,
      proration: false,
      quantity: 1,
      discountable: true,
      pricing: { type: 'price_details' },
    });
    expect(String(item.pricing?.unit_amount_decimal)).toBe('1250');
    expect(item.id).toMatch(/^ii_/);
    expect(item.period.start).toBe(item.date);
    expect(item.period.end).toBe(item.date);
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((i) => i.id)).toEqual([item.id]);
    expect(eventsFor(h.standin, 'invoiceitem.created', item.id)).toHaveLength(1);
  });

  it('prices an invoice item by a one-time price times its quantity, described by the product', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const price = await oneTimePrice(700);
    const period = { start: 1_900_000_000, end: 1_900_086_400 };
    const item = keep('Stripe.InvoiceItem', await h.stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id }, quantity: 3, period }));
    expect(item).toMatchObject({
      amount: 2_100,
      currency: 'gbp',
      quantity: 3,
      description: 'Replacement access fob',
      period,
      pricing: { type: 'price_details', price_details: { price: price.id, product: price.product as string } },
    });
    expect(String(item.quantity_decimal)).toBe('3');
    expect(String(item.pricing?.unit_amount_decimal)).toBe('700');
  });

  it('leaves pending items out of a new invoice by default and takes them in with include', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const price = await oneTimePrice(500);
    const first = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1_000, currency: 'gbp' });
    const second = await h.stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id }, quantity: 2 });

    const empty = keep('Stripe.Invoice', await h.stripe.invoices.create({ customer: customer.id }));
    expect(empty).toMatchObject({ status: 'draft', billing_reason: 'manual', collection_method: 'charge_automatically', auto_advance: false, parent: null, total: 0, amount_due: 0 });
    expect(empty.lines.data).toEqual([]);
    expect((await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toHaveLength(2);

    const inv = keep('Stripe.Invoice', await h.stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include', description: 'Extras', metadata: { kind: 'extras' } }));
    expect(inv).toMatchObject({ status: 'draft', currency: 'gbp', description: 'Extras', metadata: { kind: 'extras' }, subtotal: 2_000, total: 2_000, amount_due: 2_000 });
    expect(inv.lines.data.map((l) => [l.amount, l.parent?.type, l.parent?.invoice_item_details?.invoice_item])).toEqual(
      expect.arrayContaining([
        [1_000, 'invoice_item_details', first.id],
        [1_000, 'invoice_item_details', second.id],
      ]),
    );
    expect((await h.stripe.invoiceItems.retrieve(first.id)).invoice).toBe(inv.id);
    expect((await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
    expect(eventsFor(h.standin, 'invoice.created', inv.id)).toHaveLength(1);
    keep('Stripe.InvoiceItem', await h.stripe.invoiceItems.retrieve(second.id));
  });

  it("finalizes and pays a one-off invoice with the customer's default card", async () => {
    const { customer, paymentMethod } = await customerWithCard(h.stripe, 'pm_card_visa');
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 4_500, currency: 'gbp', description: 'Key deposit' });
    const draft = await h.stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });

    const open = keep('Stripe.Invoice', await h.stripe.invoices.finalizeInvoice(draft.id));
    expect(open).toMatchObject({ status: 'open', amount_due: 4_500, attempted: false });
    expect(open.number).toMatch(/-0001$/);

    const paid = keep('Stripe.Invoice', await h.stripe.invoices.pay(draft.id));
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 4_500, amount_remaining: 0, attempt_count: 1, total: 4_500 });
    expect(paid.status_transitions.paid_at).not.toBeNull();
    for (const type of ['invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']) {
      expect(eventsFor(h.standin, type, draft.id), type).toHaveLength(1);
    }
    expect(paymentMethod).toMatch(/^pm_/);
  });

  it('pays a draft in one call: invoices.pay finalizes it first', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const draft = await h.stripe.invoices.create({ customer: customer.id });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 300, currency: 'gbp' });
    const paid = await h.stripe.invoices.pay(draft.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 300 });
  });

  it('declines a one-off invoice on a card that is declined, leaving it open', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_chargeCustomerFail');
    const draft = await h.stripe.invoices.create({ customer: customer.id });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 800, currency: 'gbp' });
    const err = await rejection(h.stripe.invoices.pay(draft.id));
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined' });
    const after = await h.stripe.invoices.retrieve(draft.id);
    expect(after).toMatchObject({ status: 'open', attempt_count: 1, amount_paid: 0 });
  });

  it('adds an item straight to a draft named by invoice and takes it off again when the item is deleted', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const draft = await h.stripe.invoices.create({ customer: customer.id });
    const item = keep('Stripe.InvoiceItem', await h.stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 650, currency: 'gbp' }));
    expect(item.invoice).toBe(draft.id);
    const withItem = keep('Stripe.Invoice', await h.stripe.invoices.retrieve(draft.id));
    expect(withItem).toMatchObject({ total: 650, amount_due: 650 });
    expect(withItem.lines.data).toHaveLength(1);

    const deleted = keep('Stripe.DeletedInvoiceItem', await h.stripe.invoiceItems.del(item.id));
    expect(deleted).toEqual({ id: item.id, object: 'invoiceitem', deleted: true });
    const without = await h.stripe.invoices.retrieve(draft.id);
    expect(without).toMatchObject({ total: 0, amount_due: 0 });
    expect(without.lines.data).toEqual([]);
    expect(eventsFor(h.standin, 'invoiceitem.deleted', item.id)).toHaveLength(1);
    expect(await rejection(h.stripe.invoiceItems.retrieve(item.id))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('deletes a pending item, and refuses to delete one on a finalized invoice', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const pending = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'gbp' });
    await expect(h.stripe.invoiceItems.del(pending.id)).resolves.toMatchObject({ id: pending.id, deleted: true });

    const billed = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 200, currency: 'gbp' });
    const inv = await h.stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    await h.stripe.invoices.finalizeInvoice(inv.id);
    expect(await rejection(h.stripe.invoiceItems.del(billed.id))).toMatchObject({ statusCode: 400, param: 'id' });
    expect((await h.stripe.invoices.retrieve(inv.id)).total).toBe(200);
  });

  it('sends (does not charge) a send_invoice invoice, due days_until_due after creation', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const inv = keep('Stripe.Invoice', await h.stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 14 }));
    expect(inv.collection_method).toBe('send_invoice');
    expect(inv.due_date).toBe(inv.created + 14 * DAY);
    const missing = await rejection(h.stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice' }));
    expect(missing).toMatchObject({ statusCode: 400, param: 'days_until_due' });
    const misplaced = await rejection(h.stripe.invoices.create({ customer: customer.id, days_until_due: 7 }));
    expect(misplaced).toMatchObject({ statusCode: 400, param: 'days_until_due' });
  });

  it('with auto_advance, finalizes the draft an hour after creation and charges it', async () => {
    const frozen = Math.floor(Date.UTC(2031, 2, 3, 9) / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: frozen });
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 990, currency: 'gbp' });
    const draft = await h.stripe.invoices.create({ customer: customer.id, auto_advance: true, pending_invoice_items_behavior: 'include' });
    expect(draft).toMatchObject({ status: 'draft', auto_advance: true, automatically_finalizes_at: frozen + 3_600 });
    await advanceClock(h.stripe, clock.id, frozen + 2 * 3_600);
    const paid = await h.stripe.invoices.retrieve(draft.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 990 });
  });

  it("previews and takes a customer's pending one-off items into their subscription's next renewal", async () => {
    const frozen = Math.floor(Date.UTC(2031, 4, 10, 9) / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: frozen });
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa', { test_clock: clock.id });
    const price = await monthlyPrice(h.stripe, 9_000);
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const item = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1_500, currency: 'gbp', description: 'Second fob' });
    const preview = await h.stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(preview.total).toBe(10_500);
    await advanceClock(h.stripe, clock.id, frozen + 32 * DAY);
    expect((await h.stripe.invoiceItems.retrieve(item.id)).invoice).toMatch(/^in_/);
    const renewal = (await h.stripe.invoices.list({ subscription: sub.id })).data.find((i) => i.billing_reason === 'subscription_cycle');
    expect(renewal).toMatchObject({ total: 10_500, status: 'paid' });
    const line = renewal?.lines.data.find((l) => l.parent?.invoice_item_details?.invoice_item === item.id);
    expect(line).toMatchObject({ amount: 1_500, description: 'Second fob', parent: { type: 'invoice_item_details', invoice_item_details: { subscription: null } } });
    keep('Stripe.Invoice', renewal);
  });

  it('creates an invoice for one subscription of the customer with its pending items', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    const price = await monthlyPrice(h.stripe, 6_000);
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const tied = keep('Stripe.InvoiceItem', await h.stripe.invoiceItems.create({ customer: customer.id, subscription: sub.id, amount: 400, currency: 'gbp' }));
    expect(tied.parent).toEqual({ type: 'subscription_details', subscription_details: { subscription: sub.id } });
    const loose = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 50, currency: 'gbp' });
    const inv = keep('Stripe.Invoice', await h.stripe.invoices.create({ customer: customer.id, subscription: sub.id, pending_invoice_items_behavior: 'include' }));
    expect(inv).toMatchObject({ total: 400, parent: { type: 'subscription_details', subscription_details: { subscription: sub.id } } });
    expect(inv.lines.data[0]?.parent).toMatchObject({ type: 'invoice_item_details', invoice_item_details: { invoice_item: tied.id, subscription: sub.id } });
    expect((await h.stripe.invoiceItems.retrieve(loose.id)).invoice).toBeNull();
    // The subscription's own state is not touched by an invoice created for it.
    expect((await h.stripe.subscriptions.retrieve(sub.id)).latest_invoice).not.toBe(inv.id);
  });

  it('answers a missing customer with parameter_missing and an unknown one with resource_missing', async () => {
    const noCustomer = await rejection(h.stripe.invoiceItems.create({ amount: 100, currency: 'gbp' }));
    expect(noCustomer).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'customer', message: 'Missing required param: customer.' });
    const noInvoiceCustomer = await rejection(h.stripe.invoices.create({}));
    expect(noInvoiceCustomer).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'customer', message: 'Missing required param: customer.' });

    const unknownItem = await rejection(h.stripe.invoiceItems.create({ customer: 'cus_nobody', amount: 100, currency: 'gbp' }));
    expect(unknownItem).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_nobody'" });
    const unknownInvoice = await rejection(h.stripe.invoices.create({ customer: 'cus_nobody' }));
    expect(unknownInvoice).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_nobody'" });
  });

  it('refuses invoice items without an amount, with a recurring price, or for an invoice that is not a draft', async () => {
    const { customer } = await customerWithCard(h.stripe, 'pm_card_visa');
    expect(await rejection(h.stripe.invoiceItems.create({ customer: customer.id, currency: 'gbp' }))).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'amount' });
    const other = await h.stripe.customers.create({});
    expect(await rejection(h.stripe.invoiceItems.create({ customer: other.id, amount: 100 }))).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'currency' });
    const monthly = await monthlyPrice(h.stripe, 1_000);
    expect(await rejection(h.stripe.invoiceItems.create({ customer: customer.id, pricing: { price: monthly.id } }))).toMatchObject({ statusCode: 400, param: 'pricing[price]' });
    expect(await rejection(h.stripe.invoiceItems.create({ customer: customer.id, pricing: { price: 'price_missing' } }))).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'pricing[price]' });
    const inv = await h.stripe.invoices.create({ customer: customer.id });
    await h.stripe.invoices.finalizeInvoice(inv.id);
    expect(await rejection(h.stripe.invoiceItems.create({ customer: customer.id, invoice: inv.id, amount: 100, currency: 'gbp' }))).toMatchObject({ statusCode: 400, param: 'invoice' });
    expect(await rejection(h.stripe.invoiceItems.create({ customer: customer.id, invoice: 'in_missing', amount: 100, currency: 'gbp' }))).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'invoice' });
    // The SDK's params for this API version price by `pricing[price]`; a top-level `price` is unknown.
    const legacy = await rejection(h.stripe.invoiceItems.create({ customer: customer.id, price: monthly.id } as unknown as Stripe.InvoiceItemCreateParams));
    expect(legacy).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'price' });
  });

  it("returns objects and events that match the SDK's declared types", () => {
    const events = h.standin.state.events.filter((e) => String(e.type).startsWith('invoice'));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['invoiceitem.created', 'invoiceitem.deleted', 'invoice.created', 'invoice.finalized', 'invoice.paid']));
    expect(seen.length).toBeGreaterThan(10);
    const problems = [
      ...seen.flatMap(({ type, value }) => sdkProblems(type, value).map((p) => `${type}: ${p}`)),
      ...events.flatMap((e) => sdkProblems('Stripe.Event', e).map((p) => `${String(e.type)}: ${p}`)),
    ];
    expect(problems).toEqual([]);
  });
});
