/**
 * Runs the Stripe stand-in on its own: `npx tsx local/stripe/main.ts`.
 *
 *   STRIPE_STANDIN_PORT     port (default 12111)
 *   STRIPE_STANDIN_DATA     JSON file to keep state in (default .local/stripe-standin.json; "" = memory only)
 *   STRIPE_WEBHOOK_URL      deliver events here (optional)
 *   STRIPE_WEBHOOK_SECRET   signing secret for that endpoint (default: generated and printed)
 *   STRIPE_TICK_MS          renew customers without a test clock every N ms against real time (optional)
 */
import { startStripeStandin } from './server';

const env = process.env;
const dataFile = env.STRIPE_STANDIN_DATA ?? '.local/stripe-standin.json';
const standin = await startStripeStandin({
  port: Number(env.STRIPE_STANDIN_PORT ?? 12111),
  ...(dataFile ? { dataFile } : {}),
  ...(env.STRIPE_TICK_MS ? { tickIntervalMs: Number(env.STRIPE_TICK_MS) } : {}),
  log: (line) => console.log(`[stripe] ${line}`),
});
console.log(`Stripe stand-in listening on ${standin.url} (any sk_test_ key works)`);
if (env.STRIPE_WEBHOOK_URL) {
  const endpoint = standin.addWebhookEndpoint({ url: env.STRIPE_WEBHOOK_URL, ...(env.STRIPE_WEBHOOK_SECRET ? { secret: env.STRIPE_WEBHOOK_SECRET } : {}) });
  console.log(`Delivering events to ${endpoint.url} signed with ${endpoint.secret}`);
}
const stop = () => {
  void standin.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
