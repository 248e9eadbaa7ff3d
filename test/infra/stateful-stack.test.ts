import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { onlyResource, resourcesOfType, synthStacks, testConfig } from './helpers';

describe('stateful stack', () => {
  const dev = synthStacks(testConfig({ stage: 'dev' }));
  const prod = synthStacks(testConfig({ stage: 'prod', allowedOrigins: ['https://app.example.com'] }));

  it('creates the single table with the keys and indexes of tableSchema', () => {
    const table = onlyResource(dev.statefulTemplate, 'AWS::DynamoDB::Table');

    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      tableSchema.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keyNames: string[] = [
      tableSchema.partitionKey,
      tableSchema.sortKey,
      ...tableSchema.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(table.Properties.AttributeDefinitions).toEqual(
      keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('bills on demand, keeps point-in-time recovery, expires items by TTL and encrypts at rest', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('protects the table, key and sender identity from deletion in prod only', () => {
    const prodTable = onlyResource(prod.statefulTemplate, 'AWS::DynamoDB::Table');
    const devTable = onlyResource(dev.statefulTemplate, 'AWS::DynamoDB::Table');

    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    expect(onlyResource(prod.statefulTemplate, 'AWS::SecretsManager::Secret').DeletionPolicy).toBe('Retain');
    expect(onlyResource(prod.statefulTemplate, 'AWS::SES::EmailIdentity').DeletionPolicy).toBe('Retain');
    expect(prod.stateful.terminationProtection).toBe(true);

    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(devTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(onlyResource(dev.statefulTemplate, 'AWS::SecretsManager::Secret').DeletionPolicy).toBe('Delete');
    expect(dev.stateful.terminationProtection).toBe(false);
  });

  it('generates a 64-character signing key without punctuation', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      SecretString: Match.absent(),
    });
  });

  it('creates the SES identity for the sender address unless told the account already has one', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: testConfig().senderEmail,
    });

    const unmanaged = synthStacks(testConfig({ manageSenderIdentity: false }));
    expect(resourcesOfType(unmanaged.statefulTemplate, 'AWS::SES::EmailIdentity')).toEqual({});
  });
});
