import { describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { logicalIdOf, onlyResource, resourcesOfType, synthStacks, testConfig, type TestStacks } from './helpers';

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

  const secretsOf = ({ stateful }: TestStacks) => ({
    jwtSigningKey: stateful.jwtSigningKey,
    stripeSecretKey: stateful.stripeSecretKey,
    stripeWebhookSecret: stateful.stripeWebhookSecret,
    smartParkingApiKey: stateful.smartParkingApiKey,
    xeroCredentials: stateful.xeroCredentials,
  });
  const secretResource = (stacks: TestStacks, name: keyof ReturnType<typeof secretsOf>) => {
    const resource = resourcesOfType(stacks.statefulTemplate, 'AWS::SecretsManager::Secret')[
      logicalIdOf(secretsOf(stacks)[name])
    ];
    if (!resource) throw new Error(`no secret ${name}`);
    return resource;
  };

  it('protects the table, secrets and sender identity from deletion in prod only', () => {
    const prodTable = onlyResource(prod.statefulTemplate, 'AWS::DynamoDB::Table');
    const devTable = onlyResource(dev.statefulTemplate, 'AWS::DynamoDB::Table');

    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    for (const secret of Object.keys(secretsOf(prod)) as (keyof ReturnType<typeof secretsOf>)[]) {
      expect(secretResource(prod, secret).DeletionPolicy, secret).toBe('Retain');
      expect(secretResource(dev, secret).DeletionPolicy, secret).toBe('Delete');
    }
    expect(onlyResource(prod.statefulTemplate, 'AWS::SES::EmailIdentity').DeletionPolicy).toBe('Retain');
    expect(prod.stateful.terminationProtection).toBe(true);

    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(devTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(dev.stateful.terminationProtection).toBe(false);
  });

  it('generates a 64-character signing key without punctuation', () => {
    expect(secretResource(dev, 'jwtSigningKey').Properties).toMatchObject({
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    expect(secretResource(dev, 'jwtSigningKey').Properties.SecretString).toBeUndefined();
  });

  it.each(['stripeSecretKey', 'stripeWebhookSecret', 'smartParkingApiKey', 'xeroCredentials'] as const)(
    'creates the %s with a generated placeholder for an operator to replace, and outputs its ARN',
    (name) => {
      const { Properties: properties } = secretResource(dev, name);
      const secretId = logicalIdOf(secretsOf(dev)[name]);

      expect(properties.GenerateSecretString).toMatchObject({ PasswordLength: 32, ExcludePunctuation: true });
      expect(properties.SecretString).toBeUndefined();
      expect(properties.Description).toMatch(/put the real value after deploy/);
      const outputs = Object.values(dev.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export?: unknown }>);
      expect(outputs.filter((o) => !o.Export).map((o) => o.Value)).toContainEqual({ Ref: secretId });
    },
  );

  it('shapes the Xero placeholder as the JSON the adapter reads, and the others as plain strings', () => {
    expect(secretResource(dev, 'xeroCredentials').Properties.GenerateSecretString).toEqual({
      PasswordLength: 32,
      ExcludePunctuation: true,
      SecretStringTemplate: '{"clientId":"placeholder"}',
      GenerateStringKey: 'clientSecret',
    });
    for (const name of ['stripeSecretKey', 'stripeWebhookSecret', 'smartParkingApiKey'] as const) {
      expect(secretResource(dev, name).Properties.GenerateSecretString, name).toEqual({ PasswordLength: 32, ExcludePunctuation: true });
    }
  });

  it('keeps six secrets: the signing key, the origin-verify value and the four provider credentials', () => {
    expect(Object.keys(resourcesOfType(dev.statefulTemplate, 'AWS::SecretsManager::Secret'))).toHaveLength(6);
  });

  it('creates the SES identity for the sender address unless told the account already has one', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: testConfig().senderEmail,
    });

    const unmanaged = synthStacks(testConfig({ manageSenderIdentity: false }));
    expect(resourcesOfType(unmanaged.statefulTemplate, 'AWS::SES::EmailIdentity')).toEqual({});
  });
});
