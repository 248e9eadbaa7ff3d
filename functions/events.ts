/**
 * The event-rule manifest: the platform's event bus and the rules that route Stripe's events to
 * their consumers. Read by the CDK (bus, archive, rules, targets with retries and dead-letter
 * queues) and by the offline twin's local bus, which applies the same patterns.
 *
 * Stripe's events arrive two ways and land on the same rules: through our signed webhook
 * (`POST /webhooks/stripe` puts them on the bus with source `carpark.stripe`) or through Stripe's
 * native EventBridge delivery (a partner event source, `aws.partner/stripe.com/...`). Either way
 * the detail-type is the Stripe event type and the detail is the Stripe event.
 */
import type { FunctionAccess } from './routes';

/** Source of events our webhook puts on the bus. */
export const STRIPE_WEBHOOK_SOURCE = 'carpark.stripe';
/** Prefix of the source of Stripe's own EventBridge deliveries (partner event source). */
export const STRIPE_PARTNER_SOURCE_PREFIX = 'aws.partner/stripe.com';

/** Source of the platform's own events (a car park's prices changed). */
export const PLATFORM_SOURCE = 'carpark.platform';
/** Detail-type of the event put when a car park's prices change (detail: `{ carparkId }`). */
export const CARPARK_PRICES_CHANGED = 'carpark.prices_changed';
/** Detail-type of the event put when a space may have fallen free (detail: `{ carparkId, vehicleType }`). */
export const CARPARK_SPACE_FREED = 'carpark.space_freed';
/** Detail-type of the event put when a lapsed offer's space passed to the next in line (detail: `{ offerId, expiresAt }`). */
export const WAITLIST_OFFER_MADE = 'waitlist.offer_made';

/** An EventBridge event pattern (the subset this platform uses). */
export type EventPattern = Readonly<Record<string, unknown>>;

export interface EventRuleSpec {
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: {
    /** Handler module, relative to `functions/`, receiving the EventBridge event. */
    readonly handler: string;
    readonly access: FunctionAccess;
  };
}

/** Repricing tenancies (on the event and nightly): their items, billing lines, statistics and timeline; Stripe; email. */
/** Offering a free space to a waitlist: the offer's transaction (Query the line, Update, Delete, Put) and its workflow. */
export const WAITLIST_OFFERING_ACCESS = {
  table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  startsWorkflows: ['WaitlistOffer'],
} as const satisfies FunctionAccess;

export const REPRICING_ACCESS = {
  table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  stripe: true,
  sendsEmail: true,
} as const satisfies FunctionAccess;

/** Matches Stripe events of these types, from the webhook or from Stripe's partner source. */
const stripeEvents = (...types: string[]): EventPattern => ({
  source: [STRIPE_WEBHOOK_SOURCE, { prefix: STRIPE_PARTNER_SOURCE_PREFIX }],
  'detail-type': types,
});

export const eventRules = [
  {
    id: 'InvoicePaid',
    description: 'A paid invoice: record the payment, move the tenancies’ next renewal on and email a receipt',
    pattern: stripeEvents('invoice.paid'),
    target: {
      handler: 'handlers/consumers/invoice-paid.ts',
      // The payment goes on the timelines of the tenancies it paid for (BatchWriteItem).
      access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'], sendsEmail: true, stripe: true },
    },
  },
  {
    id: 'AuthenticatedChargePaid',
    description: 'A paid invoice that a new tenancy waited on (its first charge, authenticated by the tenant): resume that setup',
    pattern: stripeEvents('invoice.paid'),
    target: {
      handler: 'handlers/consumers/authenticated-charge-paid.ts',
      access: { table: ['GetItem', 'Query'], startsWorkflows: ['TenancySetup'] },
    },
  },
  {
    id: 'SubscriptionDeleted',
    description: 'A subscription deleted at Stripe: end the tenancies it paid for (revoke plates, free spaces)',
    pattern: stripeEvents('customer.subscription.deleted'),
    target: {
      handler: 'handlers/consumers/subscription-deleted.ts',
      // putsEvents: each space given back is announced, for the car park's waitlist.
      access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], smartParking: true, stripe: true, putsEvents: true },
    },
  },
  {
    id: 'InvoicePaymentFailed',
    description: 'A failed invoice payment: start the dunning workflow for that invoice (one execution per invoice)',
    pattern: stripeEvents('invoice.payment_failed'),
    target: {
      handler: 'handlers/consumers/invoice-payment-failed.ts',
      access: { startsWorkflows: ['InvoiceDunning'] },
    },
  },
  {
    id: 'InvoiceSettled',
    description: 'An invoice paid, voided or written off: stop its dunning, settle its arrears, reinstate suspended tenancies',
    pattern: stripeEvents('invoice.paid', 'invoice.voided', 'invoice.marked_uncollectible'),
    target: {
      handler: 'handlers/consumers/invoice-settled.ts',
      access: {
        table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
        stopsWorkflows: ['InvoiceDunning'],
        smartParking: true,
        sendsEmail: true,
        stripe: true,
      },
    },
  },
  {
    id: 'CardUpdated',
    description: "A new card (attached, set up, or made the default): re-attempt the customer's open invoices now",
    pattern: stripeEvents('payment_method.attached', 'setup_intent.succeeded', 'customer.updated'),
    target: {
      handler: 'handlers/consumers/card-updated.ts',
      access: { table: ['GetItem'], stripe: true },
    },
  },
  {
    id: 'CarparkPricesChanged',
    description: "A car park's prices changed: move its existing tenancies onto the new prices from their next renewal and email their tenants",
    pattern: { source: [PLATFORM_SOURCE], 'detail-type': [CARPARK_PRICES_CHANGED] },
    target: {
      handler: 'handlers/consumers/carpark-prices-changed.ts',
      access: REPRICING_ACCESS,
    },
  },
  {
    id: 'SpaceFreed',
    description: 'A space may have fallen free: offer it to the first in the waitlist',
    pattern: { source: [PLATFORM_SOURCE], 'detail-type': [CARPARK_SPACE_FREED] },
    target: {
      handler: 'handlers/consumers/space-freed.ts',
      access: WAITLIST_OFFERING_ACCESS,
    },
  },
  {
    id: 'OfferMade',
    description: 'A lapsed offer passed its space on: run the new offer (its email, its deadline)',
    pattern: { source: [PLATFORM_SOURCE], 'detail-type': [WAITLIST_OFFER_MADE] },
    target: {
      handler: 'handlers/consumers/offer-made.ts',
      access: { startsWorkflows: ['WaitlistOffer'] },
    },
  },
] as const satisfies readonly EventRuleSpec[];
