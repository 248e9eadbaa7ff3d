/**
 * The twin's stand-ins for everything beyond AWS's data plane: Stripe, SmartParking, and Step
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
import { createWorkflowEngine, type WorkflowEngine } from './stepfunctions/engine';
import { startSfnApi, stateMachineArnFor } from './stepfunctions/sfn-api';
import { startStripeStandin, type StripeStandin } from './stripe/server';

export interface IntegrationSecrets {
  readonly stripeSecretKeyId: string;
  readonly stripeWebhookSecretId: string;
  readonly smartParkingApiKeyId: string;
  /** Secret id → value, to be served by the Secrets Manager stand-in. */
  readonly values: Record<string, string>;
}

/** Ids and values of the integration secrets; the SmartParking key is new each time unless given. */
export function integrationSecrets(prefix: string, smartParkingApiKey = randomBytes(24).toString('hex')): IntegrationSecrets {
  const stripeSecretKeyId = `${prefix}/stripe-secret-key`;
  const stripeWebhookSecretId = `${prefix}/stripe-webhook-secret`;
  const smartParkingApiKeyId = `${prefix}/smartparking-api-key`;
  return {
    stripeSecretKeyId,
    stripeWebhookSecretId,
    smartParkingApiKeyId,
    values: {
      [stripeSecretKeyId]: 'sk_test_local',
      [stripeWebhookSecretId]: `whsec_${randomBytes(24).toString('hex')}`,
      [smartParkingApiKeyId]: smartParkingApiKey,
    },
  };
}

export interface IntegrationOptions {
  readonly rootDir: string;
  readonly secrets: IntegrationSecrets;
  readonly host?: string;
  /** 0 picks free ports. */
  readonly ports?: { stripe?: number; smartParking?: number; stepFunctions?: number; eventBridge?: number };
  /** Where the stand-ins keep state across restarts; in memory when omitted. */
  readonly dataDir?: string;
  /** Scales every Wait state (a month's wait × 1/43,200 = one minute). */
  readonly waitScale?: number;
  /** The pause between task retries, instead of the definitions' backoff (and between event deliveries). */
  readonly retryIntervalMs?: number;
  /** Tries per event target before the event goes to the dead-letter list. */
  readonly eventAttempts?: number;
  readonly log?: (line: string) => void;
}

export interface Integrations {
  readonly stripe: StripeStandin;
  readonly smartParking: SmartParkingSimulator;
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

  const stripe = await startStripeStandin({ host, port: options.ports?.stripe ?? 0, ...dataFile('stripe.json'), log: options.log ?? silent });
  const smartParking = await startSmartParkingSimulator({
    host,
    port: options.ports?.smartParking ?? 0,
    apiKey: options.secrets.values[options.secrets.smartParkingApiKeyId]!,
    autoCreateSites: true,
    ...dataFile('smartparking.json'),
  });
  const engine = createWorkflowEngine({
    workflows,
    stateMachinesDir: path.join(options.rootDir, 'state-machines'),
    functionsDir: path.join(options.rootDir, 'functions'),
    ...(options.waitScale !== undefined ? { waitScale: options.waitScale } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
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
    [ENV.eventBusName]: 'carpark-tenancy-local',
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridgeApi.endpoint,
    [ENV.smartParkingBaseUrl]: smartParking.url,
    [ENV.smartParkingApiKeyId]: options.secrets.smartParkingApiKeyId,
    AWS_ENDPOINT_URL_SFN: sfnApi.endpoint,
    ...Object.fromEntries(workflows.map((w) => [w.arnEnv, stateMachineArnFor(w.id)])),
  };

  return {
    stripe,
    smartParking,
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
      await Promise.allSettled([sfnApi.close(), eventBridgeApi.close(), smartParking.close(), stripe.close()]);
    },
  };
}
