import { describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { ENV } from '../../functions/environment';
import { apiFunctions, authorizer } from '../../functions/routes';
import {
  actionsOf,
  logicalIdOf,
  resourcesOf,
  resourcesOfType,
  statementsOf,
  synthStacks,
  testConfig,
} from './helpers';

describe('functions', () => {
  const config = testConfig();
  const { stateful, stateless, statelessTemplate: template } = synthStacks(config);
  const functions = apiFunctions.map((spec) => {
    const fn = spec.id === authorizer.id ? stateless.api.authorizerFunction : stateless.api.routeFunctions.get(spec.id);
    if (!fn) throw new Error(`no function for ${spec.id}`);
    const resource = resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(fn)];
    if (!resource) throw new Error(`no AWS::Lambda::Function for ${spec.id}`);
    return { spec, fn, properties: resource.Properties, statements: statementsOf(template, fn) };
  });
  const environmentOf = (properties: Record<string, unknown>) =>
    (properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const tableId = logicalIdOf(stateful.table);
  const secretId = logicalIdOf(stateful.jwtSigningKey);

  it('deploys one function per manifest entry', () => {
    expect(new Set(functions.map(({ fn }) => logicalIdOf(fn))).size).toBe(apiFunctions.length);
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'))).toHaveLength(apiFunctions.length);
  });

  it.each(apiFunctions.map((spec) => spec.id))('runs %s on Node.js 24, arm64, as an ESM bundle with active tracing', (id) => {
    const { properties } = functions.find(({ spec }) => spec.id === id)!;

    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
    });
    expect(environmentOf(properties)).toMatchObject({
      [ENV.stage]: config.stage,
      [ENV.webBaseUrl]: config.webBaseUrl,
      [ENV.tableName]: { 'Fn::ImportValue': expect.stringContaining(tableId) },
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('gives every function its own log group, kept for a month, and write access to it alone', () => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    const used = functions.map(({ spec, properties, statements }) => {
      const logGroupId = (properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays, spec.id).toBe(30);
      const logStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
      expect(logStatements, spec.id).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
      return logGroupId;
    });

    expect(new Set(used).size).toBe(functions.length);
  });

  it('attaches no managed policies to function roles', () => {
    for (const { spec, fn } of functions) {
      const role = resourcesOfType(template, 'AWS::IAM::Role')[logicalIdOf(fn.role!)];
      expect(role?.Properties.ManagedPolicyArns, spec.id).toBeUndefined();
    }
  });

  it('grants each function exactly the DynamoDB actions its manifest entry lists', () => {
    for (const { spec, statements } of functions) {
      const granted = actionsOf(statements).filter((action) => action.startsWith('dynamodb:'));

      expect(granted.sort(), spec.id).toEqual((spec.access.table ?? []).map((action) => `dynamodb:${action}`).sort());
      expect(granted, spec.id).not.toContain('dynamodb:*');
      expect(granted, spec.id).not.toContain('dynamodb:Scan');
    }
    // The manifest really does differ per function, so the check above tells functions apart.
    const getItemOnly = functions.find(({ spec }) => spec.access.table?.join() === 'GetItem');
    expect(getItemOnly && actionsOf(getItemOnly.statements)).not.toContain('dynamodb:PutItem');
  });

  it('scopes DynamoDB grants to the table, adding its named indexes only for Query', () => {
    for (const { spec, statements } of functions) {
      const resources = statements
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))
        .flatMap(resourcesOf)
        .map((resource) => JSON.stringify(resource));
      if (!spec.access.table?.length) {
        expect(resources, spec.id).toEqual([]);
        continue;
      }
      const indexes = spec.access.table.includes('Query') ? tableSchema.globalSecondaryIndexes : [];

      expect(resources, spec.id).toHaveLength(1 + indexes.length);
      expect(resources.every((r) => r.includes(tableId) && !r.includes('*')), spec.id).toBe(true);
      for (const index of indexes) {
        expect(resources.filter((r) => r.includes(`/index/${index.indexName}"`)), spec.id).toHaveLength(1);
      }
    }
  });

  it('lets only functions that sign or verify tokens read the signing key, by ARN in the environment', () => {
    for (const { spec, properties, statements } of functions) {
      const secretStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
      const env = environmentOf(properties);

      if (spec.access.jwtSigningKey) {
        expect(secretStatements, spec.id).toEqual([
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { 'Fn::ImportValue': expect.stringContaining(secretId) },
          },
        ]);
        expect(env[ENV.jwtSecretId], spec.id).toEqual({ 'Fn::ImportValue': expect.stringContaining(secretId) });
      } else {
        expect(secretStatements, spec.id).toEqual([]);
        expect(env[ENV.jwtSecretId], spec.id).toBeUndefined();
      }
    }
    expect(functions.filter(({ spec }) => spec.access.jwtSigningKey).map(({ spec }) => spec.id)).toContain(authorizer.id);
  });

  it('lets only email-sending functions use SES, and only from the sender address', () => {
    for (const { spec, properties, statements } of functions) {
      const sesStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));
      const env = environmentOf(properties);

      if (spec.access.sendsEmail) {
        expect(sesStatements, spec.id).toHaveLength(1);
        const [statement] = sesStatements;
        expect(statement?.Action, spec.id).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
        expect(statement?.Condition, spec.id).toEqual({ StringEquals: { 'ses:FromAddress': config.senderEmail } });
        const resources = resourcesOf(statement!).map((r) => JSON.stringify(r));
        expect(resources[0], spec.id).toContain(`:identity/${config.senderEmail}"`);
        expect(resources[1], spec.id).toContain(':identity/mail.example.com"');
        expect(env[ENV.senderEmail], spec.id).toBe(config.senderEmail);
      } else {
        expect(sesStatements, spec.id).toEqual([]);
        expect(env[ENV.senderEmail], spec.id).toBeUndefined();
      }
    }
    expect(functions.some(({ spec }) => spec.access.sendsEmail)).toBe(true);
  });

  it('grants nothing beyond logs, tracing and what the manifest lists', () => {
    for (const { spec, statements } of functions) {
      const allowed = new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        ...(spec.access.table ?? []).map((action) => `dynamodb:${action}`),
        ...(spec.access.jwtSigningKey ? ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] : []),
        ...(spec.access.sendsEmail ? ['ses:SendEmail', 'ses:SendRawEmail'] : []),
      ]);

      expect(actionsOf(statements).filter((action) => !allowed.has(action)), spec.id).toEqual([]);
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      // Resource "*" only for X-Ray, which supports nothing narrower.
      const wildcard = statements.filter((s) => resourcesOf(s).includes('*'));
      expect(actionsOf(wildcard), spec.id).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    }
  });

  it('keeps secret values out of function configuration', () => {
    for (const { spec, properties } of functions) {
      expect(JSON.stringify(environmentOf(properties)), spec.id).not.toMatch(/resolve:secretsmanager|SecretString/);
    }
  });
});
