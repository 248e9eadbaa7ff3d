/**
 * Stripe set-up as code: `npm run stripe:setup -- --api-key sk_… --url https://…/webhooks/stripe`.
 *
 * - The webhook endpoint at `--url` is created, or brought to exactly the event types the
 *   platform's rules consume (functions/events.ts) and the API version the SDK is pinned to.
 *   Stripe cannot change an endpoint's API version in place, so an endpoint on another version is
 *   replaced (a new signing secret, printed once, to store in Secrets Manager).
 * - The settings the dunning design relies on live in the Dashboard, not in the API (Smart
 *   Retries off; past-due invoices left open, subscriptions left past due): they are printed as a
 *   checklist with where to change them. `--check-only` changes nothing and exits non-zero when
 *   the endpoint is not as required.
 */
import Stripe from 'stripe';
import { eventRules } from '../functions/events';
import { runWhenMain } from './command';

/** Every Stripe event type a rule on the platform's bus consumes, sorted. */
export function consumedEventTypes(): string[] {
  const types = eventRules.flatMap((rule) => (rule.pattern as { 'detail-type': readonly string[] })['detail-type']);
  return [...new Set(types)].sort();
}

export const PINNED_API_VERSION: string = Stripe.API_VERSION;

/** What the platform needs of the Stripe account that only the Dashboard can set. */
export const DASHBOARD_SETTINGS = [
  {
    setting: 'Smart Retries: off',
    where: 'Dashboard → Settings → Billing → Revenue recovery → Retries: choose a custom schedule with no retries (or turn Smart Retries off)',
    why: 'the platform retries unpaid invoices on its own schedule (DUNNING_RETRY_DAYS); Stripe retrying as well charges on days the tenant was not told about',
  },
  {
    setting: 'When all retries fail: leave the subscription past due, leave the invoice open',
    where: 'Dashboard → Settings → Billing → Revenue recovery → Retries → "Subscription status" = past due, "Invoice status" = leave open',
    why: 'a cancelled subscription ends every tenancy (SubscriptionDeleted) and a voided or uncollectible invoice settles the arrears (InvoiceSettled): either would undo dunning',
  },
  {
    setting: 'Customer emails for failed payments and card authentication: off (optional)',
    where: 'Dashboard → Settings → Billing → Subscriptions and emails → Manage failed payments / Customer emails',
    why: 'the platform emails tenants itself; Stripe’s emails would be a second, differently worded notice',
  },
] as const;

export interface SetupOptions {
  /** The platform's webhook URL, `<ApiUrl>webhooks/stripe`. */
  readonly url: string;
  /** Report only: change nothing. */
  readonly checkOnly?: boolean;
}

export interface SetupReport {
  readonly endpointId: string | null;
  readonly action: 'created' | 'updated' | 'replaced' | 'unchanged' | 'needs_change';
  /** Differences found before any change (empty when the endpoint was as required). */
  readonly differences: readonly string[];
  /** The new signing secret, when an endpoint was created or replaced (Stripe shows it once). */
  readonly signingSecret?: string;
}

function differencesOf(endpoint: Stripe.WebhookEndpoint, events: readonly string[]): string[] {
  const out: string[] = [];
  const have = [...endpoint.enabled_events].sort();
  const missing = events.filter((e) => !have.includes(e));
  const extra = have.filter((e) => !events.includes(e));
  if (missing.length > 0) out.push(`events missing: ${missing.join(', ')}`);
  if (extra.length > 0) out.push(`events not consumed: ${extra.join(', ')}`);
  if (endpoint.api_version !== PINNED_API_VERSION) out.push(`API version ${endpoint.api_version ?? '(account default)'}, want ${PINNED_API_VERSION}`);
  if (endpoint.status !== 'enabled') out.push(`status ${endpoint.status}, want enabled`);
  return out;
}

/** Brings the webhook endpoint at `url` to what the platform consumes; see the module comment. */
export async function setupStripe(stripe: Stripe, options: SetupOptions): Promise<SetupReport> {
  const events = consumedEventTypes();
  const matching: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) if (endpoint.url === options.url) matching.push(endpoint);
  const [endpoint, ...duplicates] = matching;
  const create = async () =>
    stripe.webhookEndpoints.create({
      url: options.url,
      enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
      api_version: PINNED_API_VERSION as Stripe.WebhookEndpointCreateParams.ApiVersion,
      description: 'Carpark Tenancy: Stripe events onto the platform’s event bus',
    });

  if (!endpoint) {
    if (options.checkOnly) return { endpointId: null, action: 'needs_change', differences: [`no endpoint for ${options.url}`] };
    const created = await create();
    return { endpointId: created.id, action: 'created', differences: [`no endpoint for ${options.url}`], ...(created.secret ? { signingSecret: created.secret } : {}) };
  }
  // Two endpoints for one URL deliver every event twice.
  const differences = [...differencesOf(endpoint, events), ...duplicates.map((d) => `duplicate endpoint ${d.id} for the same URL`)];
  if (differences.length === 0) return { endpointId: endpoint.id, action: 'unchanged', differences };
  if (options.checkOnly) return { endpointId: endpoint.id, action: 'needs_change', differences };

  for (const duplicate of duplicates) await stripe.webhookEndpoints.del(duplicate.id);
  if (endpoint.api_version !== PINNED_API_VERSION) {
    // The API version of an endpoint is fixed at creation: replace it.
    const created = await create();
    await stripe.webhookEndpoints.del(endpoint.id);
    return { endpointId: created.id, action: 'replaced', differences, ...(created.secret ? { signingSecret: created.secret } : {}) };
  }
  const updated = await stripe.webhookEndpoints.update(endpoint.id, {
    enabled_events: events as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    disabled: false,
  });
  return { endpointId: updated.id, action: 'updated', differences };
}

/** The report as the command prints it. */
export function describeReport(report: SetupReport, options: SetupOptions): string {
  const lines = [
    `Webhook endpoint ${options.url}: ${report.action}${report.endpointId ? ` (${report.endpointId})` : ''}`,
    ...report.differences.map((d) => `  - ${d}`),
    `  events: ${consumedEventTypes().join(', ')}`,
    `  API version: ${PINNED_API_VERSION}`,
  ];
  if (report.signingSecret) {
    lines.push(
      '',
      'New signing secret (shown once): store it as the webhook secret in Secrets Manager, e.g.',
      `  aws secretsmanager put-secret-value --secret-id <StripeWebhookSecret name from the stack outputs> --secret-string '${report.signingSecret}'`,
    );
  }
  lines.push('', 'Check in the Stripe Dashboard (not readable through the API):');
  for (const s of DASHBOARD_SETTINGS) lines.push(`  [ ] ${s.setting}`, `      where: ${s.where}`, `      why: ${s.why}`);
  return lines.join('\n');
}

function argument(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(args: readonly string[]): Promise<number> {
  const apiKey = argument(args, 'api-key') ?? process.env.STRIPE_API_KEY;
  const url = argument(args, 'url');
  if (!apiKey || !url) {
    console.error('Usage: npm run stripe:setup -- --api-key sk_… --url https://<api>/webhooks/stripe [--check-only] [--api-base http://127.0.0.1:12111]');
    return 2;
  }
  const base = argument(args, 'api-base');
  const endpoint = base ? new URL(base) : undefined;
  const stripe = new Stripe(apiKey, {
    ...(endpoint ? { host: endpoint.hostname, port: Number(endpoint.port || 80), protocol: endpoint.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
  const options = { url, checkOnly: args.includes('--check-only') };
  const report = await setupStripe(stripe, options);
  console.log(describeReport(report, options));
  return report.action === 'needs_change' ? 1 : 0;
}

runWhenMain(import.meta.url, main, 1);
