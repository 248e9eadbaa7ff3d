import { ENV } from '../../environment';
import { json } from '../../http/responses';
import { httpRoute } from '../../http/route';

/** Stripe's own script, used unless configuration names another (the twin's stand-in). */
export const DEFAULT_STRIPE_JS_URL = 'https://js.stripe.com/v3/';

/**
 * What the web app needs before it can take a card: the publishable key and where Stripe.js
 * lives. Both are public configuration, the same for every caller, so browsers and CloudFront
 * may keep the answer a few minutes.
 */
export const handler = httpRoute('GetConfig', async () => {
  const stripePublishableKey = process.env[ENV.stripePublishableKey];
  if (!stripePublishableKey) {
    return json(503, { error: { code: 'payments_not_configured', message: 'Card payments are not configured on this deployment yet.' } });
  }
  const body = { stripePublishableKey, stripeJsUrl: process.env[ENV.stripeJsUrl] || DEFAULT_STRIPE_JS_URL };
  return json(200, body, { 'cache-control': 'public, max-age=300' });
});
