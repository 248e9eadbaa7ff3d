/**
 * What every EventBridge rule target of the platform gets (lib/constructs/event-target.ts):
 * scheduled jobs and event-rule consumers alike.
 */
import { expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { arnOf, logicalIdOf, resourcesOfType } from './helpers';

export interface DeployedTarget {
  readonly rule: IConstruct;
  readonly function: IConstruct;
  readonly deadLetterQueue: IConstruct;
}

/** Registers the tests of a rule target's invoke permission, async retries and dead-letter queue. */
export function itDeliversWithDeadLetters(template: Template, deployed: DeployedTarget, { maxEventAgeSeconds }: { maxEventAgeSeconds: number }): void {
  const functionArn = arnOf(deployed.function);
  const queueArn = arnOf(deployed.deadLetterQueue);

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

  it('retries a failed invocation, then records it with its error in the same dead-letter queue', () => {
    const configs = Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')).filter(
      (config) => JSON.stringify(config.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(deployed.function) }),
    );

    expect(configs.map((config) => config.Properties)).toEqual([
      {
        FunctionName: { Ref: logicalIdOf(deployed.function) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: maxEventAgeSeconds,
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
}
