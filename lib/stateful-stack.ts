import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { tableSchema } from '../functions/adapters/dynamodb/table-schema';
import type { AppConfig } from './config';

export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
}

/**
 * Resources that hold data or identity and outlive code changes: the single table, the JWT
 * signing key and the SES sender identity. Kept apart so the stateless stack can be torn down
 * and redeployed freely.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly jwtSigningKey: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { terminationProtection: config.isProd, ...stackProps });
    const removalPolicy = config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed key: encrypted at rest and auditable in CloudTrail, with no key policy to
      // maintain and no kms:Decrypt grant needed by every function.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.isProd,
      removalPolicy,
    });
    for (const index of tableSchema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.jwtSigningKey = new Secret(this, 'JwtSigningKey', {
      description: `HMAC key that signs bearer tokens (${config.stage})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.jwtSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the token signing key invalidates every issued token, so it is rotated ' +
        'deliberately by hand (put a new random value), not on a schedule.',
    });

    if (config.manageSenderIdentity) {
      new EmailIdentity(this, 'SenderIdentity', { identity: Identity.email(config.senderEmail) }).applyRemovalPolicy(
        removalPolicy,
      );
    }
  }
}
