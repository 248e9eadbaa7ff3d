import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import type { FunctionResources } from './constructs/app-function';
import { EventRules } from './constructs/event-rules';
import { RouteApi } from './constructs/route-api';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { Workflows } from './constructs/workflows';

export interface StatelessStackProps extends StackProps {
  readonly config: AppConfig;
  readonly table: ITable;
  readonly jwtSigningKey: ISecret;
  readonly stripeSecretKey: ISecret;
  readonly stripeWebhookSecret: ISecret;
  readonly smartParkingApiKey: ISecret;
  /** The platform's event bus (stateful stack): the webhook puts to it, the event rules read it. */
  readonly eventBus: IEventBus;
}

/**
 * Code and wiring that can be replaced at will: the workflows (state machines and their task
 * functions), the HTTP API and its functions, the scheduled jobs, and the event rules on the
 * stateful stack's bus with their consumer functions.
 */
export class StatelessStack extends Stack {
  readonly workflows: Workflows;
  readonly api: RouteApi;
  readonly scheduledJobs: ScheduledJobs;
  readonly eventRules: EventRules;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const {
      config,
      table,
      jwtSigningKey,
      stripeSecretKey,
      stripeWebhookSecret,
      smartParkingApiKey,
      eventBus,
      ...stackProps
    } = props;
    super(scope, id, stackProps);
    // Exports/imports: CloudFormation refuses to delete the table or secrets while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    const shared = { config, table, jwtSigningKey, stripeSecretKey, stripeWebhookSecret, smartParkingApiKey, eventBus };
    // First the state machines, so API functions that start them can be given their ARNs.
    this.workflows = new Workflows(this, 'Workflows', { resources: shared });
    const resources: FunctionResources = { ...shared, stateMachines: this.workflows.stateMachines };
    this.api = new RouteApi(this, 'Api', { resources });
    this.scheduledJobs = new ScheduledJobs(this, 'Jobs', { resources });
    this.eventRules = new EventRules(this, 'Events', { resources });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API',
      value: this.api.stage.url,
    });
  }
}
