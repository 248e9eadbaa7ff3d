/**
 * The twin's stand-ins for everything beyond AWS's data plane: Stripe, SmartParking, Xero, and Step
 * Functions running the real state machine files. Used by `npm start` and by the test twin, so
 * both wire the platform the same way.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ENV } from '../functions/environment';
import { eventRules } from '../functions/events';
import { workflows } from '../functions/workflows';
import { startEventBridgeApi } from './eventbridge/api';
import { createLocalBus, type LocalBus } from './eventbridge/bus';
import { startSmartParkingSimulator, type SmartParkingSimulator } from './smartparking/simulator';
import { isObject } from './stepfunctions/definition';
import { createWorkflowEngine, type TimedWaitRequest, type WorkflowEngine } from './stepfunctions/engine';
import { startSfnApi, stateMachineArnFor } from './stepfunctions/sfn-api';
import { startStripeStandin, type StripeStandin } from './stripe/server';
import { STANDIN_PUBLISHABLE_KEY } from './stripe/stripe-js';
import { demoXeroContacts } from './xero/demo';
import { startXeroSimulator, type XeroSimulator } from './xero/simulator';

export interface IntegrationSecrets {
  readonly stripeSecretKeyId: string;
  readonly stripeWebhookSecretId: string;
  readonly smartParkingApiKeyId: string;
  /** JSON `{ clientId, clientSecret }` of the Xero custom connection the simulator accepts. */
  readonly xeroCredentialsSecretId: string;
  /** Secret id → value, to be served by the Secrets Manager stand-in. */
  readonly values: Record<string, string>;
}

/** Ids and values of the integration secrets; the SmartParking key is new each time unless given. */
export function integrationSecrets(prefix: string, smartParkingApiKey = randomBytes(24).toString('hex')): IntegrationSecrets {
  const stripeSecretKeyId = `${prefix}/stripe-secret-key`;
  const stripeWebhookSecretId = `${prefix}/stripe-webhook-secret`;
  const smartParkingApiKeyId = `${prefix}/smartparking-api-key`;
  const xeroCredentialsSecretId = `${prefix}/xero-credentials`;
  return {
    stripeSecretKeyId,
    stripeWebhookSecretId,
    smartParkingApiKeyId,
    xeroCredentialsSecretId,
    values: {
      [stripeSecretKeyId]: 'sk_test_local',
      [stripeWebhookSecretId]: `whsec_${randomBytes(24).toString('hex')}`,
      [smartParkingApiKeyId]: smartParkingApiKey,
      [xeroCredentialsSecretId]: JSON.stringify({ clientId: 'local-xero-client', clientSecret: randomBytes(24).toString('hex') }),
    },
  };
}

export interface IntegrationOptions {
  readonly rootDir: string;
  readonly secrets: IntegrationSecrets;
  readonly host?: string;
  /** 0 picks free ports. */
  readonly ports?: { stripe?: number; smartParking?: number; xero?: number; stepFunctions?: number; eventBridge?: number };
  /** Where the stand-ins keep state across restarts; in memory when omitted. */
  readonly dataDir?: string;
  /** Scales every Wait state (a month's wait × 1/43,200 = one minute). */
  readonly waitScale?: number;
  /** The pause between task retries, instead of the definitions' backoff (and between event deliveries). */
  readonly retryIntervalMs?: number;
  /**
   * Gives every new Stripe customer a test clock of its own, so advancing it moves that tenant's
   * billing (renewals, failed payments) and the dunning waits that follow it.
   */
  readonly customerTestClocks?: boolean;
  /** The dunning retry schedule, e.g. `1,3,5` (days); the platform's default when omitted. */
  readonly dunningRetryDays?: string;
  /** Tries per event target before the event goes to the dead-letter list. */
  readonly eventAttempts?: number;
  readonly log?: (line: string) => void;
}

export interface Integrations {
  readonly stripe: StripeStandin;
  readonly smartParking: SmartParkingSimulator;
  readonly xero: XeroSimulator;
  readonly workflows: WorkflowEngine;
  readonly bus: LocalBus;
  readonly stepFunctionsEndpoint: string;
  /** Has the Stripe stand-in deliver its events, signed, to the twin's webhook route. */
  deliverStripeEventsTo(apiUrl: string): void;
  /** What handlers need to reach these stand-ins; apply before handler modules load. */
  readonly environment: Record<string, string>;
  close(): Promise<void>;
}

export async function startIntegrations(options: IntegrationOptions): Promise<Integrations> {
  const host = options.host ?? '127.0.0.1';
  const dataFile = (name: string) => (options.dataDir ? { dataFile: path.join(options.dataDir, name) } : {});
  const silent = () => undefined;

  const stripe = await startStripeStandin({
    host,
    port: options.ports?.stripe ?? 0,
    ...dataFile('stripe.json'),
    // The platform's dunning workflow is the only retry logic: Stripe leaves a failed renewal
    // open and past due (the "Manage failed payments" settings docs/events.md asks for).
    retryScheduleDays: [],
    onRetriesExhausted: 'past_due',
    customerTestClocks: options.customerTestClocks ?? false,
    log: options.log ?? silent,
  });
  const smartParking = await startSmartParkingSimulator({
    host,
    port: options.ports?.smartParking ?? 0,
    apiKey: options.secrets.values[options.secrets.smartParkingApiKeyId]!,
    autoCreateSites: true,
    ...dataFile('smartparking.json'),
  });
  const xero = await startXeroSimulator({
    host,
    port: options.ports?.xero ?? 0,
    ...(JSON.parse(options.secrets.values[options.secrets.xeroCredentialsSecretId]!) as { clientId: string; clientSecret: string }),
    contacts: demoXeroContacts(),
  });
  const engine = createWorkflowEngine({
    workflows,
    stateMachinesDir: path.join(options.rootDir, 'state-machines'),
    functionsDir: path.join(options.rootDir, 'functions'),
    ...(options.waitScale !== undefined ? { waitScale: options.waitScale } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    waitUntil: (wait, signal) => followCustomerClock(stripe, wait, signal),
    log: options.log ?? silent,
  });
  const sfnApi = await startSfnApi({ engine, host, port: options.ports?.stepFunctions ?? 0 });
  const bus = createLocalBus({
    rules: eventRules,
    functionsDir: path.join(options.rootDir, 'functions'),
    retry: { attempts: options.eventAttempts ?? 3, intervalMs: options.retryIntervalMs ?? 1000 },
    log: options.log ?? silent,
  });
  const eventBridgeApi = await startEventBridgeApi({ bus, host, port: options.ports?.eventBridge ?? 0 });

  const environment: Record<string, string> = {
    [ENV.stripeSecretKeyId]: options.secrets.stripeSecretKeyId,
    [ENV.stripeApiUrl]: stripe.url,
    [ENV.stripeWebhookSecretId]: options.secrets.stripeWebhookSecretId,
    // The browser takes cards through the stand-in's Stripe.js-compatible script.
    [ENV.stripePublishableKey]: STANDIN_PUBLISHABLE_KEY,
    [ENV.stripeJsUrl]: stripe.stripeJsUrl,
    [ENV.eventBusName]: 'carpark-tenancy-local',
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridgeApi.endpoint,
    [ENV.smartParkingBaseUrl]: smartParking.url,
    [ENV.smartParkingApiKeyId]: options.secrets.smartParkingApiKeyId,
    [ENV.xeroApiUrl]: xero.url,
    [ENV.xeroIdentityUrl]: xero.url,
    [ENV.xeroCredentialsSecretId]: options.secrets.xeroCredentialsSecretId,
    AWS_ENDPOINT_URL_SFN: sfnApi.endpoint,
    ...(options.dunningRetryDays ? { [ENV.dunningRetryDays]: options.dunningRetryDays } : {}),
    ...Object.fromEntries(workflows.map((w) => [w.arnEnv, stateMachineArnFor(w.id)])),
  };

  return {
    stripe,
    smartParking,
    xero,
    workflows: engine,
    bus,
    stepFunctionsEndpoint: sfnApi.endpoint,
    environment,
    deliverStripeEventsTo(apiUrl) {
      stripe.addWebhookEndpoint({
        url: `${apiUrl}/webhooks/stripe`,
        secret: options.secrets.values[options.secrets.stripeWebhookSecretId]!,
      });
    },
    async close() {
      await engine.close();
      await bus.close();
      await Promise.allSettled([sfnApi.close(), eventBridgeApi.close(), smartParking.close(), xero.close(), stripe.close()]);
    },
  };
}

/** How often a wait that follows a Stripe test clock looks at the clock. */
const CLOCK_POLL_MS = 50;

/**
 * A timestamp wait of a workflow whose input names a Stripe customer on a test clock lasts until
 * that clock reaches the timestamp: advancing the clock is what lets a dunning retry happen.
 * Waits of customers without a clock keep the engine's other rules (scaled real time).
 */
function followCustomerClock(stripe: StripeStandin, wait: TimedWaitRequest, signal: AbortSignal): Promise<void> | undefined {
  const customerId = isObject(wait.input) ? wait.input.customerId : undefined;
  if (wait.target === undefined || typeof customerId !== 'string') return undefined;
  // A customer's clock never changes: look it up once, then poll only the clock.
  const clockId = stripe.state.customers.find((c) => c.id === customerId)?.test_clock;
  if (typeof clockId !== 'string') return undefined;
  const clockOf = () => stripe.state.testClocks.find((c) => c.id === clockId);
  const target = wait.target;
  return new Promise((resolve) => {
    const check = () => {
      const clock = clockOf();
      if (signal.aborted || !clock || Number(clock.frozen_time) * 1000 >= target) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, CLOCK_POLL_MS);
    check();
  });
}
