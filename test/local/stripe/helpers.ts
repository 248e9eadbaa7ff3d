import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { startStripeStandin, stripeClientFor, type StripeStandin, type StripeStandinOptions } from '../../../local/stripe/server';

export interface Harness {
  standin: StripeStandin;
  stripe: Stripe;
}

/** A stand-in with fast webhook retries and test clock advances, plus a real SDK client. */
export async function startHarness(options: StripeStandinOptions = {}): Promise<Harness> {
  const standin = await startStripeStandin({
    webhookRetry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 5, timeoutMs: 2_000 },
    clockAdvanceDelayMs: 5,
    ...options,
  });
  return { standin, stripe: stripeClientFor(standin) };
}

/** Polls `probe` until it returns a value other than undefined/false (no fixed sleeps). */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

export interface ReceivedWebhook {
  body: string;
  signature: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next `n` deliveries with this status. */
  failNext(n: number, status?: number): void;
  /** Hold every response until `release()` (a slow receiver). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** A local HTTP endpoint standing in for the platform's webhook Lambda. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures: { n: number; status: number } = { n: 0, status: 500 };
  let held: (() => void)[] | null = null;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 200;
      if (failures.n > 0) {
        failures = { ...failures, n: failures.n - 1 };
        status = failures.status;
      }
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature'] ?? ''), status });
      const respond = () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      if (held) held.push(respond);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    failNext: (n, status = 500) => {
      failures = { n, status };
    },
    hold: () => {
      held = [];
    },
    release: () => {
      const pending = held ?? [];
      held = null;
      for (const respond of pending) respond();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A customer with a card saved through a SetupIntent and made the invoice default, as the platform does. */
export async function customerWithCard(stripe: Stripe, token: string, extra: Stripe.CustomerCreateParams = {}): Promise<{ customer: Stripe.Customer; paymentMethod: string }> {
  const customer = await stripe.customers.create({ email: `tenant-${Math.random().toString(36).slice(2)}@example.com`, name: 'Tenant', ...extra });
  const intent = await stripe.setupIntents.create({ customer: customer.id, allowed_payment_method_types: ['card'], usage: 'off_session' });
  const confirmed = await stripe.setupIntents.confirm(intent.id, { payment_method: token });
  const paymentMethod = confirmed.payment_method as string;
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod } });
  return { customer, paymentMethod };
}

/** A monthly price for one car park and vehicle type. */
export async function monthlyPrice(stripe: Stripe, unitAmount: number, name = 'Riverside car park — car'): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name, metadata: { carparkId: 'cp_riverside' } });
  return stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: unitAmount, recurring: { interval: 'month' } });
}

export function eventTypes(standin: StripeStandin): string[] {
  return standin.state.events.map((e) => String(e.type));
}

/** Events of a type whose `data.object.id` is `id`, oldest first. */
export function eventsFor(standin: StripeStandin, type: string, id: string): Record<string, unknown>[] {
  return standin.state.events.filter((e) => e.type === type && ((e.data as { object: { id?: string } }).object.id === id));
}

/** Waits for a test clock advance to finish, as an SDK user does: poll retrieve until `ready`. */
export async function advanceClock(stripe: Stripe, clockId: string, frozenTime: number): Promise<Stripe.TestHelpers.TestClock> {
  const started = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  if (started.status !== 'advancing') throw new Error(`expected advancing, got ${started.status}`);
  return eventually(async () => {
    const clock = await stripe.testHelpers.testClocks.retrieve(clockId);
    return clock.status === 'ready' ? clock : undefined;
  }, `test clock ${clockId} to be ready`);
}

export const DAY = 86_400;

/** The SDK error a call rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (err) {
    return err as Stripe.errors.StripeError;
  }
  throw new Error('expected the Stripe call to fail, but it succeeded');
}
