import { Tags, type App } from 'aws-cdk-lib';
import type { AppConfig } from './config';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface AppStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds the platform's stacks for one stage. Env-agnostic (no account or region), so it
 * synthesizes offline; the target comes from the deploying credentials.
 */
export function addStacks(app: App, config: AppConfig): AppStacks {
  const prefix = `CarparkTenancy-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `Carpark Tenancy ${config.stage}: table, signing key, provider secrets, sender identity`,
    config,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    description: `Carpark Tenancy ${config.stage}: HTTP API, workflows, scheduled jobs and their functions`,
    config,
    table: stateful.table,
    jwtSigningKey: stateful.jwtSigningKey,
    stripeSecretKey: stateful.stripeSecretKey,
    smartParkingApiKey: stateful.smartParkingApiKey,
  });

  Tags.of(app).add('project', 'carpark-tenancy');
  Tags.of(app).add('stage', config.stage);
  return { stateful, stateless };
}
