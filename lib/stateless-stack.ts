import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import type { FunctionResources } from './constructs/app-function';
import { RouteApi } from './constructs/route-api';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { Workflows } from './constructs/workflows';

export interface StatelessStackProps extends StackProps {
  readonly config: AppConfig;
  readonly table: ITable;
  readonly jwtSigningKey: ISecret;
  readonly stripeSecretKey: ISecret;
  readonly smartParkingApiKey: ISecret;
}

/**
 * Code and wiring that can be replaced at will: the workflows (state machines and their task
 * functions), the HTTP API and its functions, and the scheduled jobs.
 */
export class StatelessStack extends Stack {
  readonly workflows: Workflows;
  readonly api: RouteApi;
  readonly scheduledJobs: ScheduledJobs;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { config, table, jwtSigningKey, stripeSecretKey, smartParkingApiKey, ...stackProps } = props;
    super(scope, id, stackProps);
    // Exports/imports: CloudFormation refuses to delete the table or secrets while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    const shared = { config, table, jwtSigningKey, stripeSecretKey, smartParkingApiKey };
    // First the state machines, so API functions that start them can be given their ARNs.
    this.workflows = new Workflows(this, 'Workflows', { resources: shared });
    const resources: FunctionResources = { ...shared, stateMachines: this.workflows.stateMachines };
    this.api = new RouteApi(this, 'Api', { resources });
    this.scheduledJobs = new ScheduledJobs(this, 'Jobs', { resources });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API',
      value: this.api.stage.url,
    });
  }
}
