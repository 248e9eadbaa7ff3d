import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { ENV } from '../../functions/environment';
import { eventRules } from '../../functions/events';
import { routes } from '../../functions/routes';
import { workflows } from '../../functions/workflows';
import {
  actionsOf,
  deployedFunctions,
  logicalIdOf,
  resourcesOf,
  resourcesOfType,
  statementsOf,
  synthStacks,
  testConfig,
  type FunctionKind,
  type Statement,
} from './helpers';

describe('functions', () => {
  const config = testConfig();
  const stacks = synthStacks(config);
  const { stateful, processing, functionsTemplate: template } = stacks;
  const functions = deployedFunctions(stacks).map((deployed) => {
    const resource = resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(deployed.fn)];
    if (!resource) throw new Error(`no AWS::Lambda::Function for ${deployed.id}`);
    return { ...deployed, properties: resource.Properties, statements: statementsOf(template, deployed.fn) };
  });
  const label = (f: { kind: FunctionKind; id: string }) => `${f.kind} ${f.id}`;
  const environmentOf = (properties: Record<string, unknown>) =>
    (properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const tableId = logicalIdOf(stateful.table);
  const imported = (secret: ISecret) => ({ 'Fn::ImportValue': expect.stringContaining(logicalIdOf(secret)) });
  const readsSecret = (statements: readonly Statement[], secret: ISecret) =>
    statements.filter(
      (s) =>
        actionsOf([s]).some((a) => a.startsWith('secretsmanager:')) &&
        JSON.stringify(s.Resource).includes(logicalIdOf(secret)),
    );
  const SECRET_READ = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

  it('deploys one function per route, the authorizer, each distinct workflow task, each job and each event rule', () => {
    const taskHandlers = new Set(workflows.flatMap((w) => Object.values(w.tasks).map((task) => task.handler)));
    expect(functions.filter((f) => f.kind === 'route')).toHaveLength(routes.length);
    expect(functions.filter((f) => f.kind === 'task')).toHaveLength(taskHandlers.size);
    expect(functions.filter((f) => f.kind === 'job').length).toBeGreaterThan(0);
    expect(functions.filter((f) => f.kind === 'consumer')).toHaveLength(eventRules.length);

    expect(new Set(functions.map(({ fn }) => logicalIdOf(fn))).size).toBe(functions.length);
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'))).toHaveLength(functions.length);
  });

  const expectedTimeout: Record<FunctionKind, number> = { route: 10, authorizer: 5, task: 20, job: 300, consumer: 30 };

  it.each(functions.map((f) => [label(f), f] as const))(
    'runs %s on Node.js 24, arm64, as an ESM bundle with active tracing',
    (_, { kind, properties }) => {
      expect(properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: expectedTimeout[kind],
        TracingConfig: { Mode: 'Active' },
      });
      expect(environmentOf(properties)).toMatchObject({
        [ENV.stage]: config.stage,
        [ENV.webBaseUrl]: config.webBaseUrl,
        [ENV.tableName]: { 'Fn::ImportValue': expect.stringContaining(tableId) },
        NODE_OPTIONS: '--enable-source-maps',
      });
    },
  );

  it('gives every function its own log group, kept for a month, and write access to it alone', () => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    const used = functions.map((f) => {
      const logGroupId = (f.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays, label(f)).toBe(30);
      const logStatements = f.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
      expect(logStatements, label(f)).toEqual([
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
    for (const f of functions) {
      const role = resourcesOfType(template, 'AWS::IAM::Role')[logicalIdOf(f.fn.role!)];
      expect(role?.Properties.ManagedPolicyArns, label(f)).toBeUndefined();
    }
  });

  it('grants each function exactly the DynamoDB actions its manifest entry lists', () => {
    for (const f of functions) {
      const granted = actionsOf(f.statements).filter((action) => action.startsWith('dynamodb:'));

      expect(granted.sort(), label(f)).toEqual((f.access.table ?? []).map((action) => `dynamodb:${action}`).sort());
      expect(granted, label(f)).not.toContain('dynamodb:*');
      expect(granted, label(f)).not.toContain('dynamodb:Scan');
    }
    // The manifest really does differ per function, so the check above tells functions apart.
    const getItemOnly = functions.find((f) => f.access.table?.join() === 'GetItem');
    expect(getItemOnly && actionsOf(getItemOnly.statements)).not.toContain('dynamodb:PutItem');
    expect(functions.some((f) => f.kind === 'task' && f.access.table?.includes('DeleteItem'))).toBe(true);
  });

  it('scopes DynamoDB grants to the table, adding its named indexes only for Query', () => {
    for (const f of functions) {
      const resources = f.statements
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))
        .flatMap(resourcesOf)
        .map((resource) => JSON.stringify(resource));
      if (!f.access.table?.length) {
        expect(resources, label(f)).toEqual([]);
        continue;
      }
      const indexes = f.access.table.includes('Query') ? tableSchema.globalSecondaryIndexes : [];

      expect(resources, label(f)).toHaveLength(1 + indexes.length);
      expect(resources.every((r) => r.includes(tableId) && !r.includes('*')), label(f)).toBe(true);
      for (const index of indexes) {
        expect(resources.filter((r) => r.includes(`/index/${index.indexName}"`)), label(f)).toHaveLength(1);
      }
    }
  });

  describe.each([
    { name: 'JWT signing key', flag: 'jwtSigningKey', secret: () => stateful.jwtSigningKey, env: ENV.jwtSecretId },
    { name: 'Stripe secret key', flag: 'stripe', secret: () => stateful.stripeSecretKey, env: ENV.stripeSecretKeyId },
    {
      name: 'SmartParking API key',
      flag: 'smartParking',
      secret: () => stateful.smartParkingApiKey,
      env: ENV.smartParkingApiKeyId,
    },
    {
      name: 'Xero credentials',
      flag: 'xero',
      secret: () => stateful.xeroCredentials,
      env: ENV.xeroCredentialsSecretId,
    },
    {
      name: 'Stripe webhook signing secret',
      flag: 'stripeWebhookSecret',
      secret: () => stateful.stripeWebhookSecret,
      env: ENV.stripeWebhookSecretId,
    },
    {
      name: 'CloudFront origin-verify secret',
      flag: 'originVerify',
      secret: () => stateful.originVerifySecret,
      env: ENV.originVerifySecretId,
    },
  ] as const)('the $name', ({ flag, secret, env }) => {
    it('is readable, by ARN in the environment, exactly by the functions whose manifest entry asks for it', () => {
      for (const f of functions) {
        const statements = readsSecret(f.statements, secret());
        if (f.access[flag]) {
          expect(statements, label(f)).toEqual([
            { Effect: 'Allow', Action: SECRET_READ, Resource: imported(secret()) },
          ]);
          expect(environmentOf(f.properties)[env], label(f)).toEqual(imported(secret()));
        } else {
          expect(statements, label(f)).toEqual([]);
          expect(environmentOf(f.properties)[env], label(f)).toBeUndefined();
        }
      }
      expect(functions.filter((f) => f.access[flag]).length).toBeGreaterThan(0);
      expect(functions.filter((f) => !f.access[flag]).length).toBeGreaterThan(0);
    });
  });

  it('lets the route functions that call Stripe read its key, and no other route', () => {
    const stripeRoutes = functions.filter((f) => f.kind === 'route' && readsSecret(f.statements, stateful.stripeSecretKey).length);

    expect(stripeRoutes.map((f) => f.id).sort()).toEqual(
      functions.filter((f) => f.kind === 'route' && f.access.stripe).map((f) => f.id).sort(),
    );
    expect(stripeRoutes.map((f) => f.id)).toContain('CreateBilling');
    expect(stripeRoutes.map((f) => f.id)).not.toContain('CreateTenancy');
  });

  it('leaves the Stripe API URL unset, so the SDK calls api.stripe.com', () => {
    for (const f of functions) expect(environmentOf(f.properties)[ENV.stripeApiUrl], label(f)).toBeUndefined();
  });

  it('gives the SmartParking base URL from config to SmartParking callers only', () => {
    for (const f of functions) {
      expect(environmentOf(f.properties)[ENV.smartParkingBaseUrl], label(f)).toBe(
        f.access.smartParking ? config.smartParkingBaseUrl : undefined,
      );
    }
  });

  it('lets only the routes that call Xero read its credentials, and leaves the Xero URLs unset so they call Xero itself', () => {
    const readers = functions.filter((f) => readsSecret(f.statements, stateful.xeroCredentials).length);

    expect(readers.map(label).sort()).toEqual(['route GetBilling', 'route LinkXeroContact', 'route SearchXeroContacts']);
    for (const f of functions) {
      expect(environmentOf(f.properties)[ENV.xeroApiUrl], label(f)).toBeUndefined();
      expect(environmentOf(f.properties)[ENV.xeroIdentityUrl], label(f)).toBeUndefined();
    }
  });

  it('lets the Stripe webhook route alone read the webhook signing secret', () => {
    const readers = functions.filter((f) => readsSecret(f.statements, stateful.stripeWebhookSecret).length);
    expect(readers.map(label)).toEqual(['route StripeWebhook']);
  });

  it('lets exactly the functions with putsEvents put events, on the platform bus alone, with its name in the environment', () => {
    const busArn = { 'Fn::ImportValue': expect.stringContaining(logicalIdOf(stateful.eventBus)) };
    for (const f of functions) {
      const statements = f.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('events:')));
      const busName = environmentOf(f.properties)[ENV.eventBusName];
      if (f.access.putsEvents) {
        expect(statements, label(f)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
        expect(busName, label(f)).toEqual({ 'Fn::ImportValue': expect.stringContaining(logicalIdOf(stateful.eventBus)) });
      } else {
        expect(statements, label(f)).toEqual([]);
        expect(busName, label(f)).toBeUndefined();
      }
    }
    expect(functions.filter((f) => f.access.putsEvents).map(label).sort()).toEqual(
      [
        'route CancelTenancy',
        'consumer SubscriptionDeleted',
        'route StripeWebhook',
        'route UpdateCarpark',
        'task handlers/tasks/commit-vehicle-change.ts',
        'task handlers/tasks/end-tenancy.ts',
        'task handlers/tasks/fail-setup.ts',
        'task handlers/tasks/lapse-offer.ts',
        'task handlers/tasks/revert-vehicle-change.ts',
      ].sort(),
    );
  });

  it('lets only email-sending functions use SES, and only from the sender address', () => {
    for (const f of functions) {
      const sesStatements = f.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));
      const env = environmentOf(f.properties);

      if (f.access.sendsEmail) {
        expect(sesStatements, label(f)).toHaveLength(1);
        const [statement] = sesStatements;
        expect(statement?.Action, label(f)).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
        expect(statement?.Condition, label(f)).toEqual({ StringEquals: { 'ses:FromAddress': config.senderEmail } });
        const resources = resourcesOf(statement!).map((r) => JSON.stringify(r));
        expect(resources[0], label(f)).toContain(`:identity/${config.senderEmail}"`);
        expect(resources[1], label(f)).toContain(':identity/mail.example.com"');
        expect(env[ENV.senderEmail], label(f)).toBe(config.senderEmail);
      } else {
        expect(sesStatements, label(f)).toEqual([]);
        expect(env[ENV.senderEmail], label(f)).toBeUndefined();
      }
    }
    expect(functions.some((f) => f.kind === 'route' && f.access.sendsEmail)).toBe(true);
    expect(functions.some((f) => f.kind === 'task' && f.access.sendsEmail)).toBe(true);
  });

  it('gives the admins’ alert address (the alarm email) to the functions that alert admins, and no other', () => {
    for (const f of functions) {
      expect(environmentOf(f.properties)[ENV.adminAlertEmail], label(f)).toBe(f.access.alertsAdmins ? config.alarmEmail : undefined);
      if (f.access.alertsAdmins) expect(f.access.sendsEmail, label(f)).toBe(true);
    }
    expect(functions.filter((f) => f.access.alertsAdmins).map(label)).toEqual(['route ApplyToOperate']);
  });

  it('lets operator applications be decided with no more than each decision needs', () => {
    const access = (id: string) => functions.find((f) => f.kind === 'route' && f.id === id)?.access;
    // Reading the queue and one's own application: queries only, no writes, no email.
    expect(access('ListOperatorApplications')).toEqual({ table: ['Query'] });
    expect(access('GetMyOperatorApplication')).toEqual({ table: ['Query'] });
    // Only approval creates a car park, so only it calls Stripe.
    expect(access('ApproveOperatorApplication')).toMatchObject({ stripe: true, sendsEmail: true });
    expect(access('RejectOperatorApplication')).toEqual({ table: ['GetItem', 'UpdateItem', 'DeleteItem'], sendsEmail: true });
    expect(access('ApplyToOperate')?.stripe).toBeUndefined();
  });

  it('lets a function start and stop exactly the workflows its manifest entry lists, with their ARNs in the environment', () => {
    for (const f of functions) {
      const withAction = (action: string) => f.statements.filter((s) => actionsOf([s]).includes(action));
      const starts = f.access.startsWorkflows ?? [];
      const stops = f.access.stopsWorkflows ?? [];
      // A Ref beside the state machine (processing stack), an import from the API stack.
      const machineRef = (id: string) => {
        const machine = processing.workflows.stateMachines.get(id as never)!;
        return f.kind === 'route' ? { 'Fn::ImportValue': expect.stringContaining(logicalIdOf(machine)) } : { Ref: logicalIdOf(machine) };
      };

      expect(withAction('states:StartExecution').flatMap(resourcesOf), label(f)).toEqual(starts.map(machineRef));
      // Stopping is granted on the machine's executions (arn:...:execution:<name>:*), not on the machine.
      const stopResources = withAction('states:StopExecution').flatMap(resourcesOf).map((r) => JSON.stringify(r));
      expect(stopResources, label(f)).toHaveLength(stops.length);
      stops.forEach((id, i) => {
        const name = logicalIdOf(processing.workflows.stateMachines.get(id)!);
        expect(stopResources[i], label(f)).toContain(':execution:');
        expect(stopResources[i], label(f)).toContain(name);
      });
      expect(
        f.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:'))).flatMap((s) => actionsOf([s])),
        label(f),
      ).toEqual([...starts.map(() => 'states:StartExecution'), ...stops.map(() => 'states:StopExecution')]);
      for (const workflow of workflows) {
        const listed = [...starts, ...stops].includes(workflow.id);
        expect(environmentOf(f.properties)[workflow.arnEnv], `${label(f)} ${workflow.arnEnv}`).toEqual(
          listed ? machineRef(workflow.id) : undefined,
        );
      }
    }
    expect(functions.filter((f) => f.access.startsWorkflows?.length).map((f) => f.id).sort()).toEqual([
      'AcceptOffer',
      'AddPlate',
      'AuthenticatedChargePaid',
      'CancelTenancy',
      'CreateTenancy',
      'DeclineOffer',
      'InvoicePaymentFailed',
      'JoinWaitlist',
      'OfferMade',
      'RemovePlate',
      'SpaceFreed',
      'SweepTenancies',
      'SweepWaitlists',
      'UpdateTenancy',
    ]);
    expect(functions.filter((f) => f.access.stopsWorkflows?.length).map((f) => f.id)).toEqual(['UndoCancellation', 'InvoiceSettled']);
  });

  it('grants nothing beyond logs, tracing and what the manifest lists (and a job or consumer its dead-letter queue)', () => {
    for (const f of functions) {
      const allowed = new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        ...(f.access.table ?? []).map((action) => `dynamodb:${action}`),
        ...(f.access.jwtSigningKey || f.access.stripe || f.access.smartParking || f.access.xero || f.access.stripeWebhookSecret || f.access.originVerify
          ? SECRET_READ
          : []),
        ...(f.access.putsEvents ? ['events:PutEvents'] : []),
        ...(f.access.sendsEmail ? ['ses:SendEmail', 'ses:SendRawEmail'] : []),
        ...(f.access.startsWorkflows?.length ? ['states:StartExecution'] : []),
        ...(f.access.stopsWorkflows?.length ? ['states:StopExecution'] : []),
        ...(f.kind === 'job' || f.kind === 'consumer' ? ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] : []),
      ]);

      expect(actionsOf(f.statements).filter((action) => !allowed.has(action)), label(f)).toEqual([]);
      expect(f.statements.every((s) => s.Effect === 'Allow')).toBe(true);
      // Resource "*" only for X-Ray, which supports nothing narrower.
      const wildcard = f.statements.filter((s) => resourcesOf(s).includes('*'));
      expect(actionsOf(wildcard), label(f)).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
      // Every secret statement names exactly one secret.
      const secretStatements = f.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
      const expectedSecrets = [
        f.access.jwtSigningKey,
        f.access.stripe,
        f.access.smartParking,
        f.access.xero,
        f.access.stripeWebhookSecret,
        f.access.originVerify,
      ].filter(Boolean).length;
      expect(secretStatements.flatMap(resourcesOf), label(f)).toHaveLength(expectedSecrets);
    }
  });

  it('gives the dunning retry schedule, when configured, to the functions that read it and no other', () => {
    const configured = synthStacks(testConfig({ dunningRetryDays: [2, 4] }));
    const readers = deployedFunctions(configured).filter((f) => {
      const resource = resourcesOfType(configured.functionsTemplate, 'AWS::Lambda::Function')[logicalIdOf(f.fn)]!;
      return environmentOf(resource.Properties)[ENV.dunningRetryDays] === '2,4';
    });
    expect(readers.map(label)).toEqual(['task handlers/tasks/open-arrears.ts']);
    expect(functions.filter((f) => environmentOf(f.properties)[ENV.dunningRetryDays] !== undefined)).toEqual([]);
  });

  it('gives GET /config alone the Stripe publishable key and Stripe.js URL from config, with no table or secret access', () => {
    const configured = synthStacks(testConfig({ stripeJsUrl: 'https://js.example.com/v3/' }));
    const readers = deployedFunctions(configured).map((f) => {
      const resource = resourcesOfType(configured.functionsTemplate, 'AWS::Lambda::Function')[logicalIdOf(f.fn)]!;
      const env = environmentOf(resource.Properties);
      return { f, key: env[ENV.stripePublishableKey], url: env[ENV.stripeJsUrl], statements: statementsOf(configured.functionsTemplate, f.fn) };
    });
    const withKey = readers.filter((r) => r.key !== undefined);
    expect(withKey.map((r) => label(r.f))).toEqual(['route GetConfig']);
    expect(withKey[0]).toMatchObject({ key: 'pk_test_51TestPublishableKey', url: 'https://js.example.com/v3/' });
    expect(actionsOf(withKey[0]!.statements).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
    // Unconfigured, the URL is left to the handler's default (Stripe's own).
    const getConfig = functions.find((f) => f.id === 'GetConfig')!;
    expect(environmentOf(getConfig.properties)[ENV.stripeJsUrl]).toBeUndefined();
  });

  it('keeps secret values out of function configuration', () => {
    for (const f of functions) {
      expect(JSON.stringify(environmentOf(f.properties)), label(f)).not.toMatch(/resolve:secretsmanager|SecretString/);
    }
  });
});
