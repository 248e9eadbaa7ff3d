/**
 * The PaymentGateway port over Stripe's official SDK. Stripe's errors are turned into the domain's
 * typed errors here, so workflows can retry what is transient and give up on declines.
 */
import Stripe from 'stripe';
import {
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  type BillingCustomer,
  type CardSummary,
  type CollectibleInvoice,
  type InvoiceSummary,
  type PaymentGateway,
  type SubscriptionState,
} from '../../domain/billing';
import { ValidationError } from '../../domain/errors';
import { ENV, requireEnv } from '../../environment';
import { getSecretString } from '../secrets';

let client: Promise<Stripe> | undefined;

/** One client per container; `STRIPE_API_URL` points it elsewhere than api.stripe.com. */
function stripe(): Promise<Stripe> {
  client ??= getSecretString(requireEnv(ENV.stripeSecretKeyId)).then((key) => {
    const base = process.env[ENV.stripeApiUrl];
    const endpoint = base ? new URL(base) : undefined;
    return new Stripe(key, {
      // Workflows own retries (with backoff and jitter); API routes get one quick retry.
      maxNetworkRetries: 1,
      timeout: 10_000,
      ...(endpoint
        ? {
            host: endpoint.hostname,
            port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
            protocol: endpoint.protocol.replace(':', '') as 'http' | 'https',
          }
        : {}),
    });
  });
  client.catch(() => (client = undefined));
  return client;
}

/** Runs a Stripe call, translating its failures into the domain's errors. */
async function call<T>(run: (s: Stripe) => Promise<T>): Promise<T> {
  const s = await stripe();
  try {
    return await run(s);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) throw new PaymentDeclinedError(error.message);
    if (
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeRateLimitError
    ) {
      throw new PaymentProviderUnavailableError(error.message);
    }
    throw error;
  }
}

const isMissing = (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing';
const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

function card(pm: Stripe.PaymentMethod | string | null | undefined): CardSummary | undefined {
  if (!pm || typeof pm === 'string' || !pm.card) return undefined;
  return { paymentMethodId: pm.id, brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year };
}

function toCustomer(c: Stripe.Customer): BillingCustomer {
  const defaultCard = card(c.invoice_settings?.default_payment_method);
  return { customerId: c.id, email: c.email, name: c.name ?? null, ...(defaultCard ? { defaultCard } : {}) };
}

function toInvoice(i: Stripe.Invoice): InvoiceSummary {
  return {
    invoiceId: i.id ?? 'upcoming',
    number: i.number ?? null,
    status: i.status ?? null,
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    currency: i.currency,
    periodStart: iso(i.period_start),
    periodEnd: iso(i.period_end),
    createdAt: iso(i.created),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
  };
}

function toCollectible(i: Stripe.Invoice): CollectibleInvoice {
  return {
    invoiceId: i.id ?? '',
    customerId: typeof i.customer === 'string' ? i.customer : (i.customer?.id ?? ''),
    number: i.number ?? null,
    status: i.status ?? null,
    amountDue: i.amount_due,
    amountRemaining: i.amount_remaining,
    currency: i.currency,
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    dueSince: iso(i.status_transitions?.finalized_at ?? i.created),
  };
}

function toSubscription(s: Stripe.Subscription): SubscriptionState {
  const items = s.items.data.map((i) => ({ itemId: i.id, priceId: i.price.id, quantity: i.quantity ?? 0 }));
  // Billing periods live on items in current API versions (and on the subscription in older ones).
  const periodEnd = s.items.data[0]?.current_period_end ?? (s as { current_period_end?: number }).current_period_end;
  return { subscriptionId: s.id, status: s.status, items, ...(periodEnd ? { currentPeriodEnd: iso(periodEnd) } : {}) };
}

const CUSTOMER_EXPAND = ['invoice_settings.default_payment_method'];

export const stripeGateway: PaymentGateway = {
  createCustomer: ({ userId, email, name }, idempotencyKey) =>
    call(async (s) => toCustomer(await s.customers.create({ email, name, metadata: { userId } }, { idempotencyKey }))),

  getCustomer: (customerId) =>
    call(async (s) => {
      try {
        const c = await s.customers.retrieve(customerId, { expand: CUSTOMER_EXPAND });
        return 'deleted' in c && c.deleted ? undefined : toCustomer(c as Stripe.Customer);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }),

  updateCustomer: (customerId, changes) =>
    call(async (s) => toCustomer(await s.customers.update(customerId, { ...changes, expand: CUSTOMER_EXPAND }))),

  setDefaultPaymentMethod: (customerId, paymentMethodId) =>
    call(async (s) => {
      const attached = await s.paymentMethods.attach(paymentMethodId, { customer: customerId }).catch((error: unknown) => {
        // Unknown, or not this customer's to take (attached to someone else): the same answer,
        // so a payment method id tells nothing about other customers.
        if (isMissing(error) || error instanceof Stripe.errors.StripeInvalidRequestError) {
          throw new ValidationError('That payment method does not exist.', [{ path: 'defaultPaymentMethod', message: 'Unknown payment method.' }]);
        }
        throw error;
      });
      return toCustomer(
        await s.customers.update(customerId, {
          invoice_settings: { default_payment_method: attached.id },
          expand: CUSTOMER_EXPAND,
        }),
      );
    }),

  createSetupIntent: (customerId) =>
    call(async (s) => {
      const intent = await s.setupIntents.create({ customer: customerId, allowed_payment_method_types: ['card'], usage: 'off_session' });
      return { setupIntentId: intent.id, clientSecret: intent.client_secret ?? '' };
    }),

  upcomingInvoice: (customerId) =>
    call(async (s) => {
      try {
        return toInvoice(await s.invoices.createPreview({ customer: customerId }));
      } catch (error) {
        // No active subscription: nothing upcoming.
        if (error instanceof Stripe.errors.StripeInvalidRequestError) return undefined;
        throw error;
      }
    }),

  recentInvoices: (customerId, limit) =>
    call(async (s) => (await s.invoices.list({ customer: customerId, limit })).data.map(toInvoice)),

  getInvoice: (invoiceId) =>
    call(async (s) => {
      try {
        return toCollectible(await s.invoices.retrieve(invoiceId));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }),

  openInvoices: (customerId) =>
    call(async (s) => {
      const open: CollectibleInvoice[] = [];
      for await (const invoice of s.invoices.list({ customer: customerId, status: 'open', limit: 100 })) open.push(toCollectible(invoice));
      return open.sort((a, b) => a.dueSince.localeCompare(b.dueSince));
    }),

  payInvoice: (invoiceId, { paymentMethodId }, idempotencyKey) =>
    call(async (s) => {
      try {
        const paid = await s.invoices.pay(invoiceId, paymentMethodId ? { payment_method: paymentMethodId } : {}, { idempotencyKey });
        return paid.status === 'paid' ? 'paid' : 'declined';
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return 'declined';
        // "Invoice is already paid" and the like: look, rather than parse messages. Still open
        // (no usable card, action required): the attempt failed, as a decline does.
        if (error instanceof Stripe.errors.StripeInvalidRequestError) {
          const invoice = await s.invoices.retrieve(invoiceId);
          return invoice.status === 'open' ? 'declined' : 'not_open';
        }
        throw error;
      }
    }),

  createProduct: ({ carparkId, name }, idempotencyKey) =>
    call(async (s) => (await s.products.create({ name, metadata: { carparkId } }, { idempotencyKey })).id),

  createPrice: ({ carparkId, productId, vehicleType, amount, currency }, idempotencyKey) =>
    call(
      async (s) =>
        (
          await s.prices.create(
            {
              product: productId,
              unit_amount: amount,
              currency,
              recurring: { interval: 'month' },
              nickname: `${vehicleType} monthly`,
              metadata: { carparkId, vehicleType },
            },
            { idempotencyKey },
          )
        ).id,
    ),

  deactivatePrice: (priceId) =>
    call(async (s) => {
      await s.prices.update(priceId, { active: false });
    }),

  getSubscription: (subscriptionId) =>
    call(async (s) => {
      try {
        return toSubscription(await s.subscriptions.retrieve(subscriptionId));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }),

  findOpenSubscription: (customerId) =>
    call(async (s) => {
      const { data } = await s.subscriptions.list({ customer: customerId, status: 'all', limit: 10 });
      const open = data.find((sub) => !['canceled', 'incomplete_expired'].includes(sub.status));
      return open ? toSubscription(open) : undefined;
    }),

  createSubscription: ({ customerId, userId, items }, idempotencyKey) =>
    call(async (s) =>
      toSubscription(
        await s.subscriptions.create(
          {
            customer: customerId,
            items: items.map(({ priceId, quantity }) => ({ price: priceId, quantity })),
            // The first month is charged now; a declined card fails the call and creates nothing.
            payment_behavior: 'error_if_incomplete',
            metadata: { userId },
          },
          { idempotencyKey },
        ),
      ),
    ),

  addItem: (subscriptionId, { priceId, quantity }, idempotencyKey) =>
    call(async (s) => {
      await s.subscriptionItems.create(
        {
          subscription: subscriptionId,
          price: priceId,
          quantity,
          proration_behavior: 'always_invoice',
          payment_behavior: 'error_if_incomplete',
        },
        { idempotencyKey },
      );
    }),

  setItemQuantity: (itemId, { quantity, growth, credit }, idempotencyKey) =>
    call(async (s) => {
      await s.subscriptionItems.update(
        itemId,
        {
          quantity,
          proration_behavior: growth ? 'always_invoice' : credit ? 'create_prorations' : 'none',
          ...(growth ? { payment_behavior: 'error_if_incomplete' as const } : {}),
        },
        { idempotencyKey },
      );
    }),

  removeItem: (itemId, { credit }, idempotencyKey) =>
    call(async (s) => {
      try {
        await s.subscriptionItems.del(itemId, { proration_behavior: credit ? 'create_prorations' : 'none' }, { idempotencyKey });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }),

  cancelSubscription: (subscriptionId, { credit }, idempotencyKey) =>
    call(async (s) => {
      try {
        await s.subscriptions.cancel(subscriptionId, { prorate: credit, invoice_now: credit }, { idempotencyKey });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }),
};
