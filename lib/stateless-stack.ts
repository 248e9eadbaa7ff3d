import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { RouteApi } from './constructs/route-api';

export interface StatelessStackProps extends StackProps {
  readonly config: AppConfig;
  readonly table: ITable;
  readonly jwtSigningKey: ISecret;
}

/** Code and wiring that can be replaced at will: the HTTP API and its functions. */
export class StatelessStack extends Stack {
  readonly api: RouteApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { config, table, jwtSigningKey, ...stackProps } = props;
    super(scope, id, stackProps);
    // Exports/imports: CloudFormation refuses to delete the table or key while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.api = new RouteApi(this, 'Api', { resources: { config, table, jwtSigningKey } });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API',
      value: this.api.stage.url,
    });
  }
}
