/**
 * The PaymentGateway port over Stripe's official SDK. Stripe's errors are turned into the domain's
 * typed errors here, so workflows can retry what is transient and give up on declines.
 */
import Stripe from 'stripe';
import {
  ItemAlreadyOnSubscriptionError,
  PaymentAuthenticationRequiredError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  type BillingCustomer,
  type CardSummary,
  priceFamily,
  servicePeriod,
  type CollectibleInvoice,
  type InvoiceLine,
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
    if (error instanceof Stripe.errors.StripeCardError) {
      if (error.code === 'invoice_payment_intent_requires_action' || error.decline_code === 'authentication_required') {
        throw new PaymentAuthenticationRequiredError(error.message);
      }
      throw new PaymentDeclinedError(error.message);
    }
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
const idOf = (ref: string | { id?: string } | null | undefined) => (typeof ref === 'string' ? ref : (ref?.id ?? ''));
const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();
const epochSeconds = (isoDate: string) => Math.floor(Date.parse(isoDate) / 1000);

function card(pm: Stripe.PaymentMethod | string | null | undefined): CardSummary | undefined {
  if (!pm || typeof pm === 'string' || !pm.card) return undefined;
  return { paymentMethodId: pm.id, brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year };
}

function toCustomer(c: Stripe.Customer): BillingCustomer {
  const defaultCard = card(c.invoice_settings?.default_payment_method);
  return { customerId: c.id, email: c.email, name: c.name ?? null, ...(defaultCard ? { defaultCard } : {}) };
}

function toLine(l: Stripe.InvoiceLineItem): InvoiceLine {
  const price = l.pricing?.price_details?.price;
  const parent = l.parent;
  const proration = parent?.subscription_item_details?.proration ?? parent?.invoice_item_details?.proration ?? false;
  return {
    priceId: typeof price === 'string' ? price : (price?.id ?? null),
    description: l.description ?? null,
    quantity: l.quantity ?? 0,
    amount: l.amount,
    periodStart: iso(l.period.start),
    periodEnd: iso(l.period.end),
    proration,
  };
}

/**
 * Every line of the invoice: the embedded list holds the first page only, so when it says
 * `has_more` the rest is read from the invoice's lines endpoint.
 */
async function allLines(s: Stripe, i: Stripe.Invoice): Promise<InvoiceLine[]> {
  const embedded = i.lines?.data ?? [];
  if (!i.lines?.has_more) return embedded.map(toLine);
  // A preview has no lines endpoint of its own: its first page is all there is to read.
  if (!i.id || i.id.startsWith('upcoming')) return embedded.map(toLine);
  const lines: InvoiceLine[] = [];
  for await (const line of s.invoices.listLineItems(i.id, { limit: 100 })) lines.push(toLine(line));
  return lines;
}

async function toInvoice(s: Stripe, i: Stripe.Invoice): Promise<InvoiceSummary> {
  const lines = await allLines(s, i);
  return {
    invoiceId: i.id ?? 'upcoming',
    number: i.number ?? null,
    status: i.status ?? null,
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    currency: i.currency,
    ...servicePeriod(lines, { periodStart: iso(i.period_start), periodEnd: iso(i.period_end) }),
    createdAt: iso(i.created),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    lines,
  };
}

function toCollectible(i: Stripe.Invoice): CollectibleInvoice {
  return {
    invoiceId: i.id ?? '',
    customerId: idOf(i.customer),
    number: i.number ?? null,
    status: i.status ?? null,
    amountDue: i.amount_due,
    amountRemaining: i.amount_remaining,
    currency: i.currency,
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    dueSince: iso(i.status_transitions?.finalized_at ?? i.created),
    billingReason: i.billing_reason ?? null,
  };
}

function toSubscription(s: Stripe.Subscription): SubscriptionState {
  const items = s.items.data.map((i) => {
    const { carparkId, vehicleType } = i.price.metadata ?? {};
    return { itemId: i.id, priceId: i.price.id, quantity: i.quantity ?? 0, ...(carparkId && vehicleType ? { family: priceFamily(carparkId, vehicleType) } : {}) };
  });
  // Billing periods live on items in current API versions (and on the subscription in older ones).
  const periodStart = s.items.data[0]?.current_period_start ?? (s as { current_period_start?: number }).current_period_start;
  const periodEnd = s.items.data[0]?.current_period_end ?? (s as { current_period_end?: number }).current_period_end;
  return {
    subscriptionId: s.id,
    customerId: idOf(s.customer),
    status: s.status,
    items,
    ...(periodStart ? { currentPeriodStart: iso(periodStart) } : {}),
    ...(periodEnd ? { currentPeriodEnd: iso(periodEnd) } : {}),
  };
}

const CUSTOMER_EXPAND = ['invoice_settings.default_payment_method'];

/** Error codes whose remedy is the card holder authenticating the payment, not another card. */
const AUTHENTICATION_CODES = new Set(['authentication_required', 'invoice_payment_intent_requires_action', 'payment_intent_authentication_failure']);

function asksForAuthentication(error: Stripe.errors.StripeCardError): boolean {
  return AUTHENTICATION_CODES.has(error.code ?? '') || error.decline_code === 'authentication_required';
}

/** The client secret of the invoice's payment (`confirmation_secret`), for Stripe.js; null when it has none. */
async function confirmationSecret(s: Stripe, invoiceId: string): Promise<string | null> {
  return (await s.invoices.retrieve(invoiceId, { expand: ['confirmation_secret'] })).confirmation_secret?.client_secret ?? null;
}

/** Whether the open invoice's payment waits for the card holder to authenticate it. */
async function needsAuthentication(s: Stripe, invoiceId: string): Promise<boolean> {
  const secret = await confirmationSecret(s, invoiceId);
  if (!secret?.includes('_secret_')) return false;
  // A PaymentIntent's client secret is its id, "_secret_", then the secret (Stripe.js reads it so too).
  const intent = await s.paymentIntents.retrieve(secret.slice(0, secret.indexOf('_secret_')));
  return intent.status === 'requires_action' || AUTHENTICATION_CODES.has(intent.last_payment_error?.code ?? '');
}

/** Invoices that charge for taking a space, as opposed to renewals (which dunning chases). */
const CHANGE_INVOICE_REASONS = new Set(['subscription_create', 'subscription_update']);

/**
 * The client secret of the payment that needs authenticating: on the error (its PaymentIntent), or
 * the invoice's `confirmation_secret` (API versions where invoices no longer name a PaymentIntent).
 */
async function paymentClientSecret(s: Stripe, invoiceId: string, error: Stripe.errors.StripeCardError): Promise<string | null> {
  const fromError = (error.raw as { payment_intent?: { client_secret?: string | null } } | undefined)?.payment_intent?.client_secret;
  return fromError ?? confirmationSecret(s, invoiceId);
}

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
      let preview: Stripe.Invoice;
      try {
        preview = await s.invoices.createPreview({ customer: customerId });
      } catch (error) {
        // Stripe's answer when the customer has nothing to invoice next (no live subscription).
        // Any other invalid request is a bug to see, not an empty box on the billing page.
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'invoice_upcoming_none') return undefined;
        throw error;
      }
      return toInvoice(s, preview);
    }),

  recentInvoices: (customerId, limit) =>
    call(async (s) => Promise.all((await s.invoices.list({ customer: customerId, limit })).data.map((i) => toInvoice(s, i)))),

  invoiceDetail: (invoiceId) =>
    call(async (s) => {
      try {
        const invoice = await s.invoices.retrieve(invoiceId);
        return { ...(await toInvoice(s, invoice)), customerId: idOf(invoice.customer) };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }),

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

  attemptPayment: (invoiceId, paymentMethodId, idempotencyKey) =>
    call(async (s) => {
      try {
        const paid = await s.invoices.pay(invoiceId, { payment_method: paymentMethodId }, { idempotencyKey });
        if (paid.status === 'paid') return { outcome: 'paid', invoice: await toInvoice(s, paid) };
        return { outcome: 'declined', message: 'The payment did not go through.' };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError && asksForAuthentication(error)) {
          return { outcome: 'authentication_required', clientSecret: await paymentClientSecret(s, invoiceId, error), message: error.message };
        }
        if (error instanceof Stripe.errors.StripeCardError) return { outcome: 'declined', message: error.message };
        // Already paid, voided meanwhile: say what it is rather than parse Stripe's message.
        if (error instanceof Stripe.errors.StripeInvalidRequestError && !isMissing(error)) {
          const invoice = await s.invoices.retrieve(invoiceId);
          if (invoice.status !== 'open') return { outcome: 'not_open', status: invoice.status ?? null };
          return { outcome: 'declined', message: error.message };
        }
        throw error;
      }
    }),

  paymentNeedsAuthentication: (invoiceId) => call((s) => needsAuthentication(s, invoiceId)),

  awaitingAuthentication: (subscriptionId, { orUnpaid = false } = {}) =>
    call(async (s) => {
      const latest = (await s.subscriptions.retrieve(subscriptionId, { expand: ['latest_invoice'] })).latest_invoice;
      if (!latest || typeof latest === 'string' || latest.status !== 'open' || !CHANGE_INVOICE_REASONS.has(latest.billing_reason ?? '')) return undefined;
      return orUnpaid || (await needsAuthentication(s, latest.id!)) ? latest.id : undefined;
    }),

  voidInvoice: (invoiceId, idempotencyKey) =>
    call(async (s) => {
      const invoice = await s.invoices.retrieve(invoiceId);
      if (invoice.status === 'open') await s.invoices.voidInvoice(invoiceId, {}, { idempotencyKey });
    }),

  paymentClientSecret: (invoiceId) =>
    call((s) => confirmationSecret(s, invoiceId)),

  payInvoice: (invoiceId, { paymentMethodId }, idempotencyKey) =>
    call(async (s) => {
      try {
        const paid = await s.invoices.pay(invoiceId, paymentMethodId ? { payment_method: paymentMethodId } : {}, { idempotencyKey });
        return paid.status === 'paid' ? 'paid' : 'declined';
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return asksForAuthentication(error) ? 'authentication_required' : 'declined';
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

  createSubscription: ({ customerId, userId, items, allowIncomplete }, idempotencyKey) =>
    call(async (s) =>
      toSubscription(
        await s.subscriptions.create(
          {
            customer: customerId,
            items: items.map(({ priceId, quantity }) => ({ price: priceId, quantity })),
            // The first month is charged now; a declined card fails the call and creates nothing
            // (unless allowed incomplete, for the tenant to authenticate the open first invoice).
            // The tenant is not there when the workflow charges: off-session.
            payment_behavior: allowIncomplete ? 'allow_incomplete' : 'error_if_incomplete',
            off_session: true,
            metadata: { userId },
          },
          { idempotencyKey },
        ),
      ),
    ),

  previewInvoice: ({ customerId, subscriptionId, items, proration, prorationDate }) =>
    call(async (s) => {
      const preview = await s.invoices.createPreview({
        customer: customerId,
        ...(subscriptionId ? { subscription: subscriptionId } : {}),
        subscription_details: {
          items: items.map((i) => ({
            ...(i.itemId ? { id: i.itemId } : {}),
            ...(i.priceId ? { price: i.priceId } : {}),
            ...(i.quantity !== undefined ? { quantity: i.quantity } : {}),
            ...(i.deleted ? { deleted: true } : {}),
          })),
          ...(subscriptionId ? { proration_behavior: proration, proration_date: epochSeconds(prorationDate) } : {}),
        },
      });
      return { ...(await toInvoice(s, preview)), total: preview.total };
    }),

  addItem: (subscriptionId, { priceId, quantity, allowIncomplete, prorationDate }, idempotencyKey) =>
    call(async (s) => {
      try {
        await s.subscriptionItems.create(
          {
            subscription: subscriptionId,
            price: priceId,
            quantity,
            proration_behavior: 'always_invoice',
            ...(prorationDate ? { proration_date: epochSeconds(prorationDate) } : {}),
            payment_behavior: allowIncomplete ? 'allow_incomplete' : 'error_if_incomplete',
          },
          { idempotencyKey },
        );
      } catch (error) {
        // Stripe refuses a second item on a price; asked, not read from its message, whether that is why.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        const { items } = await s.subscriptions.retrieve(subscriptionId);
        if (items.data.some((i) => i.price.id === priceId)) throw new ItemAlreadyOnSubscriptionError(error.message);
        throw error;
      }
    }),

  setItemQuantity: (itemId, { quantity, growth, credit, allowIncomplete, prorationDate }, idempotencyKey) =>
    call(async (s) => {
      await s.subscriptionItems.update(
        itemId,
        {
          quantity,
          proration_behavior: growth ? 'always_invoice' : credit ? 'create_prorations' : 'none',
          ...((growth || credit) && prorationDate ? { proration_date: epochSeconds(prorationDate) } : {}),
          ...(growth ? { payment_behavior: allowIncomplete ? ('allow_incomplete' as const) : ('error_if_incomplete' as const), off_session: true } : {}),
        },
        { idempotencyKey },
      );
    }),

  changeItemPrice: (itemId, { priceId, quantity }, idempotencyKey) =>
    call(async (s) => {
      await s.subscriptionItems.update(itemId, { price: priceId, quantity, proration_behavior: 'none' }, { idempotencyKey });
    }),

  removeItem: (itemId, { credit, prorationDate }, idempotencyKey) =>
    call(async (s) => {
      try {
        await s.subscriptionItems.del(
          itemId,
          { proration_behavior: credit ? 'create_prorations' : 'none', ...(credit && prorationDate ? { proration_date: epochSeconds(prorationDate) } : {}) },
          { idempotencyKey },
        );
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
