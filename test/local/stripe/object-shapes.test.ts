import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, customerWithCard, DAY, monthlyPrice, startHarness, type Harness } from './helpers';
import { sdkTypeChecker, type TypeProblems } from './sdk-types';

/**
 * Every object the stand-in returns must carry every top-level field of Stripe's own example
 * object for that resource (openapi fixtures3.json, in test/fixtures/stripe/), with the same JSON type. A null where the
 * fixture shows a value is accepted only when the installed SDK's type declares that field
 * nullable (`| null`), i.e. when real Stripe may return null there too. Then each object against
 * the SDK's declared type at every depth (./sdk-types.ts).
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Stripe's example objects, kept in the repository with their licence (test/fixtures/stripe/). */
const FIXTURES = `${repoRoot}test/fixtures/stripe/fixtures3.json`;
const SDK_TYPES = `${repoRoot}node_modules/stripe/esm/resources/`;

type Obj = Record<string, unknown>;

/** Fixture name → SDK declaration file and interface, for nullability. */
const SDK_INTERFACES: Record<string, [string, string]> = {
  customer: ['Customers', 'Customer'],
  deleted_customer: ['Customers', 'DeletedCustomer'],
  payment_method: ['PaymentMethods', 'PaymentMethod'],
  setup_intent: ['SetupIntents', 'SetupIntent'],
  product: ['Products', 'Product'],
  deleted_product: ['Products', 'DeletedProduct'],
  price: ['Prices', 'Price'],
  subscription: ['Subscriptions', 'Subscription'],
  subscription_item: ['SubscriptionItems', 'SubscriptionItem'],
  deleted_subscription_item: ['SubscriptionItems', 'DeletedSubscriptionItem'],
  invoice: ['Invoices', 'Invoice'],
  line_item: ['InvoiceLineItems', 'InvoiceLineItem'],
  invoiceitem: ['InvoiceItems', 'InvoiceItem'],
  payment_intent: ['PaymentIntents', 'PaymentIntent'],
  event: ['Events', 'EventBase'],
  'test_helpers.test_clock': ['TestHelpers/TestClocks', 'TestClock'],
  'deleted_test_helpers.test_clock': ['TestHelpers/TestClocks', 'DeletedTestClock'],
  webhook_endpoint: ['WebhookEndpoints', 'WebhookEndpoint'],
  deleted_webhook_endpoint: ['WebhookEndpoints', 'DeletedWebhookEndpoint'],
};

/** Fixture name → the SDK's type for it (`Stripe.Event` is the union of every event type). */
const SDK_TYPES_BY_RESOURCE: Record<string, string> = {
  customer: 'Stripe.Customer',
  deleted_customer: 'Stripe.DeletedCustomer',
  payment_method: 'Stripe.PaymentMethod',
  setup_intent: 'Stripe.SetupIntent',
  product: 'Stripe.Product',
  deleted_product: 'Stripe.DeletedProduct',
  price: 'Stripe.Price',
  subscription: 'Stripe.Subscription',
  subscription_item: 'Stripe.SubscriptionItem',
  deleted_subscription_item: 'Stripe.DeletedSubscriptionItem',
  invoice: 'Stripe.Invoice',
  line_item: 'Stripe.InvoiceLineItem',
  invoiceitem: 'Stripe.InvoiceItem',
  payment_intent: 'Stripe.PaymentIntent',
  event: 'Stripe.Event',
  'test_helpers.test_clock': 'Stripe.TestHelpers.TestClock',
  'deleted_test_helpers.test_clock': 'Stripe.TestHelpers.DeletedTestClock',
  webhook_endpoint: 'Stripe.WebhookEndpoint',
  deleted_webhook_endpoint: 'Stripe.DeletedWebhookEndpoint',
};

/** Top-level fields the SDK types as possibly null, read from `export interface X { ... }`. */
function nullableFields(resource: string): Set<string> {
  const [file, name] = SDK_INTERFACES[resource] ?? [];
  if (!file || !name) return new Set();
  const source = readFileSync(`${SDK_TYPES}${file}.d.ts`, 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) return new Set();
  const body = source.slice(start, source.indexOf('\n}', start));
  const out = new Set<string>();
  for (const m of body.matchAll(/^ {4}([a-z_]+)\??: (.+);$/gm)) if (/\bnull\b/.test(m[2] ?? '')) out.add(m[1] as string);
  return out;
}

/** The top-level fields the SDK's interface declares, with their type text. */
function sdkFields(resource: string): Map<string, string> {
  const [file, name] = SDK_INTERFACES[resource] ?? [];
  const out = new Map<string, string>();
  if (!file || !name) return out;
  const source = readFileSync(`${SDK_TYPES}${file}.d.ts`, 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) return out;
  const body = source.slice(start, source.indexOf('\n}', start));
  for (const m of body.matchAll(/^ {4}([a-z_0-9]+)\??: ([^;]+);$/gm)) out.set(m[1] as string, m[2] as string);
  return out;
}

/**
 * The string values a field may take, when the SDK declares it as a union of literals, directly
 * or through a type of the interface's namespace (`Invoice.Status`). `OtherString` (Stripe's
 * forward-compatibility escape) is not a value the stand-in should invent.
 */
function sdkEnum(resource: string, typeText: string): string[] | undefined {
  const [file, name] = SDK_INTERFACES[resource] ?? [];
  if (!file || !name) return undefined;
  const literals = (text: string) => {
    const parts = text.split('|').map((p) => p.trim()).filter((p) => p !== 'null' && p !== 'OtherString');
    return parts.length > 0 && parts.every((p) => /^'[^']*'$/.test(p)) ? parts.map((p) => p.slice(1, -1)) : undefined;
  };
  const direct = literals(typeText);
  if (direct) return direct;
  const ref = typeText.replace(/\s*\|\s*null$/, '').match(new RegExp(`^${name}\\.([A-Z][A-Za-z]*)$`));
  if (!ref) return undefined;
  const source = readFileSync(`${SDK_TYPES}${file}.d.ts`, 'utf8');
  const ns = source.indexOf(`namespace ${name} {`);
  if (ns < 0) return undefined;
  const decl = source.slice(ns).match(new RegExp(`\\n {4}type ${ref[1]} =([^;]+);`));
  return decl ? literals((decl[1] as string).replace(/\s+/g, ' ')) : undefined;
}

/**
 * Field by field against the SDK's own type for the pinned API version, and against the fixture
 * at every depth: no top-level field the type does not declare (a removed field such as the
 * invoice's `subscription`), enum values the type allows, ids with the fixture's prefix, and
 * every nested field the fixture shows, with its JSON type.
 */
function deepProblems(resource: string, actual: Obj, fixtures: Record<string, Obj>): string[] {
  const fixture = fixtures[resource];
  if (!fixture) return [`no fixture named ${resource}`];
  const declared = sdkFields(resource);
  const problems: string[] = [];
  for (const key of Object.keys(actual)) {
    // `secret` is returned once, on creation, and declared optional by the SDK.
    if (declared.size > 0 && !declared.has(key)) problems.push(`${resource}.${key} not in the SDK's type`);
  }
  for (const [key, typeText] of declared) {
    const allowed = sdkEnum(resource, typeText);
    const value = actual[key];
    if (allowed && typeof value === 'string' && !allowed.includes(value)) problems.push(`${resource}.${key}: '${value}' not one of ${allowed.join('|')}`);
  }
  const prefix = typeof fixture.id === 'string' ? fixture.id.match(/^([a-z]+_)/)?.[1] : undefined;
  if (prefix && typeof actual.id === 'string' && !actual.id.startsWith(prefix) && !(resource === 'invoice' && actual.id.startsWith('upcoming_in_'))) {
    problems.push(`${resource}.id ${actual.id} does not start with ${prefix}`);
  }
  const walk = (path: string, want: unknown, got: unknown) => {
    if (!want || typeof want !== 'object' || !got || typeof got !== 'object') return;
    if (Array.isArray(want)) {
      if (Array.isArray(got) && want.length > 0 && got.length > 0) for (const g of got) walk(`${path}[]`, want[0], g);
      return;
    }
    const w = want as Obj;
    const g = got as Obj;
    // A list embeds objects of another resource, checked on their own; metadata is free-form;
    // an event's object is checked as its own resource (below).
    if (w.object === 'list' || path.endsWith('.metadata') || path === 'event.data.object') return;
    for (const [k, v] of Object.entries(w)) {
      if (!(k in g)) {
        problems.push(`${path}.${k} missing`);
        continue;
      }
      const wt = jsonType(v);
      const gt = jsonType(g[k]);
      if (wt !== 'null' && gt !== 'null' && wt !== gt && !(wt === 'string' && gt === 'object')) problems.push(`${path}.${k}: fixture ${wt}, stand-in ${gt}`);
      walk(`${path}.${k}`, v, g[k]);
    }
  };
  for (const [key, example] of Object.entries(fixture)) if (key in actual && (declared.size === 0 || declared.has(key))) walk(`${resource}.${key}`, example, actual[key]);
  // An event carries a whole resource: it must be as right as the resource fetched on its own.
  const carried = resource === 'event' ? ((actual.data as Obj | undefined)?.object as Obj | undefined) : undefined;
  if (carried && typeof carried.object === 'string' && carried.object in SDK_INTERFACES) {
    problems.push(...shapeProblems(carried.object, carried, fixtures).map((p) => `event(${String(actual.type)}) ${p}`));
    problems.push(...deepProblems(carried.object, carried, fixtures).map((p) => `event(${String(actual.type)}) ${p}`));
  }
  return problems;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Problems with `actual` against the fixture of `resource` (empty when it conforms). */
function shapeProblems(resource: string, actual: Obj, fixtures: Record<string, Obj>): string[] {
  const fixture = fixtures[resource];
  if (!fixture) return [`no fixture named ${resource}`];
  const nullable = nullableFields(resource);
  const problems: string[] = [];
  const declared = sdkFields(resource);
  for (const [key, example] of Object.entries(fixture)) {
    // A field the pinned API version removed (the SDK's type no longer has it) must be absent.
    if (declared.size > 0 && !declared.has(key)) continue;
    if (!(key in actual)) {
      problems.push(`${resource}.${key} missing`);
      continue;
    }
    const want = jsonType(example);
    const got = jsonType(actual[key]);
    if (want === 'null' || want === got) continue;
    if (got === 'null' && nullable.has(key)) continue;
    // Expandable references are ids (strings) in the fixture and may be expanded objects.
    if (want === 'string' && got === 'object') continue;
    problems.push(`${resource}.${key}: fixture ${want}, stand-in ${got}`);
  }
  return problems;
}

describe('object shapes match Stripe fixtures3.json', () => {
  let h: Harness;
  let fixtures: Record<string, Obj>;
  let sdkProblems: TypeProblems;
  const samples: [string, Obj][] = [];
  /** Error bodies as sent (`{ error: … }`), by what caused them. */
  const errors: [string, number, Obj][] = [];

  beforeAll(async () => {
    fixtures = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { resources: Record<string, Obj> }).resources;
    sdkProblems = sdkTypeChecker(repoRoot, [...Object.values(SDK_TYPES_BY_RESOURCE), 'Stripe.StripeRawError']);
    h = await startHarness();
    const { stripe, standin } = h;
    standin.addWebhookEndpoint({ url: 'http://127.0.0.1:9/unused', secret: 'whsec_shape' });
    const frozen = Math.floor(Date.UTC(2030, 0, 15, 9) / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'shapes' });
    const { customer, paymentMethod } = await customerWithCard(stripe, 'pm_card_visa', { test_clock: clock.id });
    const price = await monthlyPrice(stripe, 9_500);
    const second = await monthlyPrice(stripe, 4_000, 'Riverside car park — motorcycle');
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const item = await stripe.subscriptionItems.create({ subscription: sub.id, price: second.id, quantity: 2 });
    const deletedItem = await stripe.subscriptionItems.del(item.id, { proration_behavior: 'create_prorations' });
    await advanceClock(stripe, clock.id, frozen + 32 * DAY);
    const invoices = await stripe.invoices.list({ customer: customer.id });
    const renewal = invoices.data[0];
    const setupIntent = (await stripe.setupIntents.list({ customer: customer.id })).data[0];
    const invoiceItem = (await stripe.invoiceItems.list({ customer: customer.id })).data[0];
    const event = (await stripe.events.list({ limit: 1 })).data[0];
    // A renewal the bank wants authenticated: its invoice's PaymentIntent waits in requires_action.
    const scaClock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'shapes, authentication' });
    const sca = await customerWithCard(stripe, 'pm_card_visa', { test_clock: scaClock.id });
    await stripe.subscriptions.create({ customer: sca.customer.id, items: [{ price: price.id }] });
    const scaCard = await stripe.paymentMethods.attach('pm_card_authenticationRequired', { customer: sca.customer.id });
    await stripe.customers.update(sca.customer.id, { invoice_settings: { default_payment_method: scaCard.id } });
    await advanceClock(stripe, scaClock.id, frozen + 32 * DAY);
    const waitingIntent = (await stripe.paymentIntents.list({ customer: sca.customer.id })).data[0];
    // Every webhook event the billing loop above raised, of every type.
    const everyEvent = (await stripe.events.list({ limit: 100 })).data;
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
    const preview = await stripe.invoices.createPreview({ subscription: sub.id });
    const unusedProduct = await stripe.products.create({ name: 'Unused' });
    const throwaway = await stripe.customers.create({ email: 'gone@example.com' });
    const otherClock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen });

    const add = (name: string, obj: unknown) => samples.push([name, obj as Obj]);
    add('customer', await stripe.customers.retrieve(customer.id));
    add('payment_method', await stripe.paymentMethods.retrieve(paymentMethod));
    add('setup_intent', setupIntent);
    add('product', await stripe.products.retrieve(String(price.product)));
    add('price', price);
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    add('subscription', renewed);
    add('subscription_item', await stripe.subscriptionItems.retrieve(renewed.items.data[0]?.id ?? ''));
    add('subscription_item', renewed.items.data[0]);
    add('deleted_subscription_item', deletedItem);
    add('invoice', renewal);
    add('invoice', preview);
    add('line_item', renewal?.lines.data[0]);
    add('line_item', renewal?.lines.data.find((l) => l.parent?.subscription_item_details?.proration));
    add('invoiceitem', invoiceItem);
    add('payment_intent', waitingIntent);
    add('event', event);
    for (const e of everyEvent) add('event', e);
    add('test_helpers.test_clock', await stripe.testHelpers.testClocks.retrieve(clock.id));
    add('webhook_endpoint', endpoint);
    add('deleted_webhook_endpoint', await stripe.webhookEndpoints.del(endpoint.id));
    add('deleted_product', await stripe.products.del(unusedProduct.id));
    add('deleted_customer', await stripe.customers.del(throwaway.id));
    add('deleted_test_helpers.test_clock', await stripe.testHelpers.testClocks.del(otherClock.id));

    // The same resources in the other states the platform meets them in, from the calls it makes.
    const scaRenewal = (await stripe.invoices.list({ customer: sca.customer.id, limit: 1 })).data[0];
    add('invoice', await stripe.invoices.retrieve(scaRenewal?.id ?? '', { expand: ['confirmation_secret'] }));
    for (const line of (await stripe.invoices.listLineItems(renewal?.id ?? '')).data) add('line_item', line);
    add('setup_intent', await stripe.setupIntents.create({ customer: customer.id, allowed_payment_method_types: ['card'], usage: 'off_session' }));
    add('payment_method', await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id }));
    add('customer', await stripe.customers.update(customer.id, { email: 'renamed@example.com' }));
    add('price', await stripe.prices.update(second.id, { active: false }));
    const grown = await stripe.subscriptionItems.update(renewed.items.data[0]?.id ?? '', { quantity: 2, proration_behavior: 'none' });
    add('subscription_item', grown);
    for (const listed of (await stripe.subscriptions.list({ customer: customer.id })).data) add('subscription', listed);
    add('subscription', await stripe.subscriptions.cancel(sub.id, { invoice_now: false, prorate: false }));

    // Errors as sent, straight from the wire (the SDK's error objects add fields of their own).
    const send = async (what: string, method: string, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) => {
      const res = await fetch(`${h.standin.url}${path}`, {
        method,
        headers: { authorization: 'Bearer sk_test_shapes', 'content-type': 'application/x-www-form-urlencoded', ...headers },
        ...(method === 'GET' ? {} : { body: new URLSearchParams(form).toString() }),
      });
      const body = (await res.json()) as Obj;
      if (res.status >= 400) errors.push([what, res.status, body]);
      return body;
    };
    await send('unknown id', 'GET', '/v1/customers/cus_nope');
    await send('unknown parameter', 'POST', '/v1/customers', { colour: 'blue' });
    await send('missing parameter', 'POST', '/v1/subscriptions', { 'items[0][price]': price.id });
    const declined = await customerWithCard(stripe, 'pm_card_chargeCustomerFail');
    await send('declined card', 'POST', '/v1/subscriptions', { customer: declined.customer.id, 'items[0][price]': price.id, payment_behavior: 'error_if_incomplete', off_session: 'true' });
    await send('authentication required', 'POST', `/v1/invoices/${scaRenewal?.id ?? ''}/pay`, { off_session: 'true' });
    const first = await send('idempotent create', 'POST', '/v1/customers', { email: 'once@example.com' }, { 'idempotency-key': 'shapes-once' });
    const replay = await send('idempotent replay', 'POST', '/v1/customers', { email: 'once@example.com' }, { 'idempotency-key': 'shapes-once' });
    expect(replay).toEqual(first);
    add('customer', replay);
    await send('idempotency key reused', 'POST', '/v1/customers', { email: 'twice@example.com' }, { 'idempotency-key': 'shapes-once' });

    // A renewal in its draft hour, before it is finalized and charged.
    const draftClock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'shapes, draft hour' });
    const drafting = await customerWithCard(stripe, 'pm_card_visa', { test_clock: draftClock.id });
    const draftSub = await stripe.subscriptions.create({ customer: drafting.customer.id, items: [{ price: price.id }] });
    await advanceClock(stripe, draftClock.id, (draftSub.items.data[0]?.current_period_end ?? 0) + 60);
    add('invoice', (await stripe.invoices.list({ customer: drafting.customer.id, limit: 1 })).data[0]);
    add('invoice', await stripe.invoices.voidInvoice(scaRenewal?.id ?? ''));
  });

  afterAll(async () => {
    await h?.standin.close();
  });

  it('collected a sample of every resource the stand-in serves', () => {
    const names = new Set(samples.map(([name]) => name));
    expect([...names].sort()).toEqual(Object.keys(SDK_INTERFACES).sort());
    for (const [name, obj] of samples) expect(obj, name).toBeTypeOf('object');
    const statuses = (resource: string) => new Set(samples.filter(([n]) => n === resource).map(([, o]) => o.status));
    expect(statuses('invoice')).toEqual(new Set(['paid', 'open', 'void', 'draft']));
    expect(statuses('subscription')).toEqual(new Set(['active', 'canceled']));
    expect(statuses('payment_intent')).toEqual(new Set(['requires_action']));
    // The renewal in its draft hour (the preview is a draft too, but finalizes at no set time).
    const inDraftHour = samples.filter(([n, o]) => n === 'invoice' && o.status === 'draft' && typeof o.automatically_finalizes_at === 'number');
    expect(inDraftHour).toHaveLength(1);
    expect(errors.map(([what, status, body]) => [what, status, (body.error as Obj | undefined)?.type])).toEqual([
      ['unknown id', 404, 'invalid_request_error'],
      ['unknown parameter', 400, 'invalid_request_error'],
      ['missing parameter', 400, 'invalid_request_error'],
      ['declined card', 402, 'card_error'],
      ['authentication required', 402, 'card_error'],
      ['idempotency key reused', 400, 'idempotency_error'],
    ]);
  });

  it('gives every object all top-level fields of its fixture, with the fixture types', () => {
    const problems = samples.flatMap(([name, obj]) => shapeProblems(name, obj, fixtures));
    expect(problems).toEqual([]);
  });

  it('embeds subscription items and invoice lines in their own resource shapes', () => {
    const sub = samples.find(([n]) => n === 'subscription')?.[1] as { items: { data: Obj[] } };
    const inv = samples.find(([n]) => n === 'invoice')?.[1] as { lines: { data: Obj[] } };
    const problems = [
      ...sub.items.data.flatMap((i) => shapeProblems('subscription_item', i, fixtures)),
      ...inv.lines.data.flatMap((l) => shapeProblems('line_item', l, fixtures)),
      ...sub.items.data.flatMap((i) => shapeProblems('price', i.price as Obj, fixtures)),
    ];
    expect(problems).toEqual([]);
  });

  it('gives every object only the fields of its SDK type, allowed enum values, the fixture id prefix and nested fields', () => {
    const problems = samples.flatMap(([name, obj]) => deepProblems(name, obj, fixtures));
    const events = samples.filter(([n]) => n === 'event').map(([, e]) => e as { data: { object: Obj } });
    expect(events.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('catches a removed, invented or nested-missing field (the field-by-field check can fail)', () => {
    const invoice = structuredClone(samples.find(([n]) => n === 'invoice')?.[1]) as Obj;
    invoice.subscription = 'sub_123';
    invoice.status = 'pending';
    (invoice.status_transitions as Obj).paid_at = undefined;
    delete (invoice.status_transitions as Obj).paid_at;
    invoice.id = 'inv_123';
    expect(deepProblems('invoice', invoice, fixtures).sort()).toEqual([
      "invoice.id inv_123 does not start with in_",
      "invoice.status: 'pending' not one of draft|open|paid|uncollectible|void",
      'invoice.status_transitions.paid_at missing',
      "invoice.subscription not in the SDK's type",
    ]);
  });

  it('matches the SDK type of every object and every webhook event at every depth', () => {
    const problems = samples.flatMap(([name, obj]) => sdkProblems(SDK_TYPES_BY_RESOURCE[name] ?? `no SDK type for ${name}`, obj));
    expect(samples.length).toBeGreaterThan(Object.keys(SDK_TYPES_BY_RESOURCE).length);
    expect(problems).toEqual([]);
  });

  it('sends every error body as the SDK declares a raw Stripe error, nothing beside it', () => {
    const problems = errors.flatMap(([what, , body]) => [
      ...Object.keys(body).filter((k) => k !== 'error').map((k) => `${what}: ${k} beside error`),
      ...sdkProblems('Stripe.StripeRawError', body.error).map((p) => `${what}: ${p}`),
    ]);
    expect(problems).toEqual([]);
  });

  it('catches a nested field missing, invented, null or outside its enum (the SDK-type check can fail)', () => {
    const asSent = (obj: unknown) => JSON.parse(JSON.stringify(obj)) as Obj;
    const invoice = asSent(samples.find(([n]) => n === 'invoice')?.[1]);
    const line = (invoice.lines as { data: Obj[] }).data[0] as Obj;
    (invoice.lines as Obj).total_count = 1;
    delete (line.pricing as Obj).type;
    (line.period as Obj).start = null;
    (line.parent as Obj).type = 'subscription_line';
    (invoice.status_transitions as Obj).settled_at = 1;
    const event = asSent(samples.find(([n, e]) => n === 'event' && e.type === 'invoice.paid')?.[1]);
    ((event.data as Obj).object as Obj).customer = 42;
    expect(sdkProblems('Stripe.Invoice', invoice).sort()).toEqual([
      'Stripe.Invoice.lines.data[0].parent.type: \'subscription_line\' not one of invoice_item_details|subscription_item_details',
      'Stripe.Invoice.lines.data[0].period.start: null, but the SDK declares number',
      'Stripe.Invoice.lines.data[0].pricing.type: missing',
      "Stripe.Invoice.lines.total_count: not in the SDK's type",
      "Stripe.Invoice.status_transitions.settled_at: not in the SDK's type",
    ]);
    expect(sdkProblems('Stripe.Event', event)).toEqual([expect.stringContaining('Stripe.Event.data.object.customer: a number')]);
  });

  it('catches a missing or retyped field (the check itself can fail)', () => {
    const customer = structuredClone(samples.find(([n]) => n === 'customer')?.[1]) as Obj;
    delete customer.invoice_settings;
    customer.balance = '0';
    customer.livemode = null;
    expect(shapeProblems('customer', customer, fixtures)).toEqual([
      'customer.balance: fixture number, stand-in string',
      'customer.invoice_settings missing',
      'customer.livemode: fixture boolean, stand-in null',
    ]);
  });
});
