import { describe, expect, it } from 'vitest';
import { scheduledJobs } from '../../functions/schedules';
import { arnOf, logicalIdOf, resourcesOfType, synthStacks, type Resource } from './helpers';

describe('scheduled jobs', () => {
  const { processing, processingTemplate: template } = synthStacks();
  // Scheduled rules only: the event rules on the platform's bus are checked in events.test.ts.
  const rules = Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).filter(([, rule]) => rule.Properties.ScheduleExpression),
  );

  it('deploys one scheduled rule per manifest job, and no other', () => {
    expect(Object.keys(rules)).toHaveLength(scheduledJobs.length);
  });

  describe.each(scheduledJobs.map((job) => [job.id, job] as const))('%s', (id, job) => {
    const deployed = processing.scheduledJobs.jobs.get(id);
    if (!deployed) throw new Error(`no job ${id}`);
    const functionArn = arnOf(deployed.function);
    const queueArn = arnOf(deployed.deadLetterQueue);
    const rule = rules[logicalIdOf(deployed.rule)] as Resource;

    it('runs on the manifest schedule, targeting its function with retries and a dead-letter queue', () => {
      expect(rule.Properties).toMatchObject({
        ScheduleExpression: job.schedule,
        State: 'ENABLED',
        Description: job.description,
      });
      expect(rule.Properties.EventPattern).toBeUndefined();
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: functionArn,
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3 * 3600 },
          DeadLetterConfig: { Arn: queueArn },
        },
      ]);
    });

    it('lets only its rule invoke the function', () => {
      const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission')).filter(
        (permission) => JSON.stringify(permission.Properties.FunctionName) === JSON.stringify(functionArn),
      );

      expect(permissions.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: functionArn,
          Principal: 'events.amazonaws.com',
          SourceArn: arnOf(deployed.rule),
        },
      ]);
    });

    it('retries a failed run, then records it with its error in the same dead-letter queue', () => {
      const configs = Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')).filter(
        (config) => JSON.stringify(config.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(deployed.function) }),
      );

      expect(configs.map((config) => config.Properties)).toEqual([
        {
          FunctionName: { Ref: logicalIdOf(deployed.function) },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 3 * 3600,
          DestinationConfig: { OnFailure: { Destination: queueArn } },
        },
      ]);
    });

    it('keeps dead letters encrypted for 14 days, over TLS only, accepting events from its rule alone', () => {
      const queue = resourcesOfType(template, 'AWS::SQS::Queue')[logicalIdOf(deployed.deadLetterQueue)];
      expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });

      const policies = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).filter((policy) =>
        JSON.stringify(policy.Properties.Queues).includes(logicalIdOf(deployed.deadLetterQueue)),
      );
      expect(policies).toHaveLength(1);
      const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': arnOf(deployed.rule) } },
          Resource: queueArn,
        }),
      ]);
    });
  });
});
