import { Tags, type App } from 'aws-cdk-lib';
import type { AppConfig } from './config';
import { ProcessingStack } from './processing-stack';
import { StatefulStack } from './stateful-stack';
import { SiteStack } from './site-stack';
import { StatelessStack } from './stateless-stack';

export interface AppStacks {
  readonly stateful: StatefulStack;
  readonly processing: ProcessingStack;
  readonly stateless: StatelessStack;
  readonly site: SiteStack;
}

/**
 * Adds the platform's stacks for one stage. Env-agnostic (no account or region), so it
 * synthesizes offline; the target comes from the deploying credentials.
 */
export function addStacks(app: App, config: AppConfig): AppStacks {
  const prefix = `CarparkTenancy-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `Carpark Tenancy ${config.stage}: table, signing key, provider secrets, sender identity, event bus and archive`,
    config,
  });
  const resources = {
    config,
    table: stateful.table,
    jwtSigningKey: stateful.jwtSigningKey,
    stripeSecretKey: stateful.stripeSecretKey,
    stripeWebhookSecret: stateful.stripeWebhookSecret,
    smartParkingApiKey: stateful.smartParkingApiKey,
    xeroCredentials: stateful.xeroCredentials,
    originVerifySecret: stateful.originVerifySecret,
    eventBus: stateful.eventBus,
  };
  const processing = new ProcessingStack(app, `${prefix}-Processing`, {
    description: `Carpark Tenancy ${config.stage}: workflows, scheduled jobs, event rules, their functions, the alarm topic and alarms`,
    resources,
    ...(stateful.stripePartnerEvents ? { partnerDeadLetterQueue: stateful.stripePartnerEvents.deadLetterQueue } : {}),
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `Carpark Tenancy ${config.stage}: HTTP API, its functions and alarms`,
    resources: { ...resources, stateMachines: processing.workflows.stateMachines },
    alarmTopic: processing.monitoring.topic,
  });

  const site = new SiteStack(app, `${prefix}-Site`, {
    description: `Carpark Tenancy ${config.stage}: web site (S3 behind CloudFront, with the API's paths)`,
    config,
    apiEndpoint: stateless.api.httpApi.apiEndpoint,
    originVerifySecret: stateful.originVerifySecret,
  });

  Tags.of(app).add('project', 'carpark-tenancy');
  Tags.of(app).add('stage', config.stage);
  return { stateful, processing, stateless, site };
}
