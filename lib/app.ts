import { Tags, type App } from 'aws-cdk-lib';
import type { AppConfig } from './config';
import { StatefulStack } from './stateful-stack';
import { SiteStack } from './site-stack';
import { StatelessStack } from './stateless-stack';

export interface AppStacks {
  readonly stateful: StatefulStack;
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
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `Carpark Tenancy ${config.stage}: HTTP API, workflows, scheduled jobs, event rules, their functions and alarms`,
    config,
    table: stateful.table,
    jwtSigningKey: stateful.jwtSigningKey,
    stripeSecretKey: stateful.stripeSecretKey,
    stripeWebhookSecret: stateful.stripeWebhookSecret,
    smartParkingApiKey: stateful.smartParkingApiKey,
    eventBus: stateful.eventBus,
  });

  const site = new SiteStack(app, `${prefix}-Site`, {
    description: `Carpark Tenancy ${config.stage}: web site (S3 behind CloudFront)`,
    config,
  });

  Tags.of(app).add('project', 'carpark-tenancy');
  Tags.of(app).add('stage', config.stage);
  return { stateful, stateless, site };
}
