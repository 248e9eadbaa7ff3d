/**
 * Stripe.js, loaded the same way everywhere: `GET /config` names the publishable key and the
 * script's URL (Stripe's js.stripe.com in production, the Stripe stand-in's compatible script in
 * the offline twin), the script is added to the page, and `loadStripe` picks up the `window.Stripe`
 * it defines. Card details go from the browser to Stripe only.
 */
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { api, unwrap } from './api-client';

let loading: Promise<Stripe> | undefined;

export function getStripe(): Promise<Stripe> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<Stripe> {
  const config = await unwrap(api.GET('/config'));
  await addScript(config.stripeJsUrl);
  const stripe = await loadStripe(config.stripePublishableKey);
  if (!stripe) throw new Error('Stripe.js did not load.');
  return stripe;
}

function addScript(src: string): Promise<void> {
  if ('Stripe' in window) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      script.remove();
      reject(new Error('The card form could not be loaded. Check your connection and try again.'));
    });
    document.head.append(script);
  });
}
