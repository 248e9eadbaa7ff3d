/**
 * The browser side of the stand-in: the Stripe.js-compatible script served at `/v3/`, the
 * publishable key it is used with, and what a publishable key may do (as on Stripe: read and
 * confirm an intent whose client secret it presents, nothing else).
 */
import { readFileSync } from 'node:fs';
import type { App } from './app';
import { StripeApiError } from './http/errors';
import type { Params } from './types';

/** The stand-in's test publishable key (any `pk_test_...` key is accepted, like any `sk_test_...`). */
export const STANDIN_PUBLISHABLE_KEY = 'pk_test_local';

export const STRIPE_JS_PATH = '/v3/';

const PLACEHOLDER = "'__STRIPE_STANDIN_URL__'";
let source: string | undefined;

/** The script, with the stand-in's own origin filled in (where its requests go). */
export function stripeJsSource(origin: string): string {
  source ??= readFileSync(new URL('./stripe-js/v3.js', import.meta.url), 'utf8');
  return source.replace(PLACEHOLDER, JSON.stringify(origin));
}

export function isPublishableKey(key: string | undefined): key is string {
  return typeof key === 'string' && /^pk_test_\w+$/.test(key);
}

/** Endpoints Stripe serves to a publishable key with the intent's client secret. */
const PUBLISHABLE_ROUTES: { method: string; pattern: RegExp }[] = [
  { method: 'GET', pattern: /^\/v1\/setup_intents\/(seti_\w+)$/ },
  { method: 'POST', pattern: /^\/v1\/setup_intents\/(seti_\w+)\/confirm$/ },
  { method: 'GET', pattern: /^\/v1\/payment_intents\/(pi_\w+)$/ },
  { method: 'POST', pattern: /^\/v1\/payment_intents\/(pi_\w+)\/confirm$/ },
];

/**
 * Throws unless a publishable key may make this request: one of the client-side endpoints, with
 * the client secret of the intent it names. Removes `key` from the parameters.
 */
export function checkPublishableAccess(app: App, method: string, pathname: string, params: Params): void {
  delete params.key;
  const route = PUBLISHABLE_ROUTES.find((r) => r.method === method && r.pattern.test(pathname));
  if (!route) {
    throw new StripeApiError('invalid_request_error', 'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.', {
      status: 401,
    });
  }
  const id = route.pattern.exec(pathname)?.[1] as string;
  requireClientSecret(app, id, params.client_secret);
}

/** The SetupIntent named, when `clientSecret` is its client secret (the browser's proof of access). */
export function requireClientSecret(app: App, id: string, clientSecret: unknown) {
  if (id.startsWith('pi_')) return requirePaymentIntentSecret(app, id, clientSecret);
  const si = app.store.get('setup_intent', id);
  if (!si) throw new StripeApiError('invalid_request_error', `No such setupintent: '${id}'`, { status: 404, code: 'resource_missing', param: 'intent' });
  if (typeof clientSecret !== 'string' || clientSecret !== si.client_secret) {
    throw new StripeApiError('invalid_request_error', 'The client_secret provided does not match the client_secret associated with the SetupIntent.', {
      param: 'client_secret',
    });
  }
  return si;
}

/** The PaymentIntent named, when `clientSecret` is its client secret. */
function requirePaymentIntentSecret(app: App, id: string, clientSecret: unknown) {
  const pi = app.store.get('payment_intent', id);
  if (!pi) throw new StripeApiError('invalid_request_error', `No such payment_intent: '${id}'`, { status: 404, code: 'resource_missing', param: 'intent' });
  if (typeof clientSecret !== 'string' || clientSecret !== pi.client_secret) {
    throw new StripeApiError('invalid_request_error', 'The client_secret provided does not match the client_secret associated with the PaymentIntent.', {
      param: 'client_secret',
    });
  }
  return pi;
}
