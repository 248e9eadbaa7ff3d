import type { JsonObject } from '../types';

/**
 * Object templates. Each carries every top-level field of Stripe's own example object for the
 * resource (`resources.<name>` in the openapi fixtures3.json), with the value a freshly created
 * object really has (mostly null/empty where the fixture shows a populated example). Callers
 * override the fields they know.
 */

const address = (): JsonObject => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

export function customerTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'customer',
    address: null,
    balance: 0,
    created: 0,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: '',
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...over,
  };
}

export interface CardSpec {
  brand: string;
  last4: string;
  fingerprint: string;
  funding: string;
  country: string;
}

export function paymentMethodTemplate(card: CardSpec, over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: address(), email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
      country: card.country,
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: 0,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
    ...over,
  };
}

export function setupIntentTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'setup_intent',
    allowed_payment_method_types: ['card'],
    application: null,
    attach_to_self: false,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: '',
    created: 0,
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    managed_payments: null,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: 'off_session',
    ...over,
  };
}

export function productTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'product',
    active: true,
    created: 0,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: '',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: 0,
    url: null,
    ...over,
  };
}

export function priceTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: 0,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: '',
    recurring: null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'one_time',
    unit_amount: 0,
    unit_amount_decimal: '0',
    ...over,
  };
}

/** The legacy `plan` view of a recurring price, still embedded in subscription items. */
export function planFromPrice(price: JsonObject): JsonObject | null {
  const recurring = price.recurring as JsonObject | null;
  if (!recurring) return null;
  return {
    id: price.id ?? null,
    object: 'plan',
    active: price.active ?? true,
    amount: price.unit_amount ?? null,
    amount_decimal: price.unit_amount_decimal ?? null,
    billing_scheme: price.billing_scheme ?? 'per_unit',
    created: price.created ?? 0,
    currency: price.currency ?? 'usd',
    interval: recurring.interval ?? 'month',
    interval_count: recurring.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata ?? {},
    meter: null,
    nickname: price.nickname ?? null,
    product: price.product ?? null,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

export function subscriptionTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: 0,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: 0,
    currency: 'usd',
    customer: '',
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [], has_more: false, url: '/v1/subscription_items' },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: 0,
    status: 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
    ...over,
  };
}

/** Stored subscription item; `price` and `plan` are filled from the current price at render time. */
export function subscriptionItemTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'subscription_item',
    billing_thresholds: null,
    created: 0,
    current_period_end: 0,
    current_period_start: 0,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: null,
    price: null,
    quantity: 1,
    subscription: '',
    tax_rates: [],
    ...over,
  };
}

export function invoiceTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'invoice',
    account_country: 'GB',
    account_name: 'Carpark Tenancy (local Stripe)',
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    created: 0,
    currency: 'usd',
    custom_fields: null,
    customer: '',
    customer_account: null,
    customer_address: null,
    customer_email: null,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: '' },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: 0,
    period_start: 0,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    __subscription: null,
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
    ...over,
  };
}

export function lineItemTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'line_item',
    amount: 0,
    currency: 'usd',
    description: null,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: null,
    period: { end: 0, start: 0 },
    pretax_credit_amounts: [],
    pricing: null,
    quantity: null,
    quantity_decimal: null,
    subscription: null,
    subtotal: 0,
    taxes: [],
    ...over,
  };
}

export function invoiceItemTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'invoiceitem',
    amount: 0,
    currency: 'usd',
    customer: '',
    customer_account: null,
    date: 0,
    description: null,
    discountable: false,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    net_amount: 0,
    parent: null,
    period: { end: 0, start: 0 },
    pricing: null,
    proration: false,
    quantity: 1,
    quantity_decimal: '1',
    tax_rates: [],
    test_clock: null,
    ...over,
  };
}

export function eventTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'event',
    api_version: null,
    created: 0,
    data: { object: {} },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: '',
    ...over,
  };
}

export function testClockTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'test_helpers.test_clock',
    created: 0,
    deletes_after: 0,
    frozen_time: 0,
    livemode: false,
    name: null,
    status: 'ready',
    status_details: {},
    ...over,
  };
}

export function webhookEndpointTemplate(over: JsonObject): JsonObject {
  return {
    id: '',
    object: 'webhook_endpoint',
    api_version: null,
    application: null,
    created: 0,
    description: null,
    enabled_events: ['*'],
    livemode: false,
    metadata: {},
    status: 'enabled',
    url: '',
    ...over,
  };
}

export function deletedObject(object: string, id: string): JsonObject {
  return { id, object, deleted: true };
}
