import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { AppFunction, type FunctionResources } from './constructs/app-function';
import { EventRules } from './constructs/event-rules';
import { Monitoring } from './constructs/monitoring';
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
 * stateful stack's bus with their consumer functions; and the alarms and dashboard that watch them.
 */
export class StatelessStack extends Stack {
  readonly workflows: Workflows;
  readonly api: RouteApi;
  readonly scheduledJobs: ScheduledJobs;
  readonly eventRules: EventRules;
  readonly monitoring: Monitoring;

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

    // Every AppFunction in the stack, found by walking the tree so a new kind of function cannot
    // be left without alarms; named by its path below the stack (`Api-LoginFunction`).
    const functions = this.node
      .findAll()
      .filter((construct): construct is AppFunction => construct instanceof AppFunction)
      .map((fn) => ({ name: fn.node.path.slice(this.node.path.length + 1).replaceAll('/', '-'), resource: fn }));
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      functions,
      deadLetterQueues: [
        ...[...this.scheduledJobs.jobs].map(([jobId, job]) => ({ name: `Job${jobId}`, resource: job.deadLetterQueue })),
        ...[...this.eventRules.rules].map(([ruleId, rule]) => ({ name: `Rule${ruleId}`, resource: rule.deadLetterQueue })),
      ],
      stateMachines: [...this.workflows.stateMachines].map(([name, resource]) => ({ name, resource })),
      httpApi: this.api.httpApi,
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API',
      value: this.api.stage.url,
    });
  }
}
