import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { eventRules } from '../../functions/events';
import { addStacks } from '../../lib/app';
import { ConfigError, parseConfig } from '../../lib/config';
import { matchesPattern } from '../../local/eventbridge/pattern';
import {
  arnOf,
  logicalIdOf,
  onlyResource,
  resourcesOfType,
  roleStatementsOf,
  synthStacks,
  testApp,
  testConfig,
  testContext,
  type Resource,
  type Statement,
} from './helpers';

const SOURCE = 'aws.partner/stripe.com/ed_test_61RM8ltWcTW4mbsxf16RJyfa2xSQLHJJh1sxm7H0KVT6';

describe('stripePartnerEventSource', () => {
  const problemsOf = (value: unknown): readonly string[] => {
    try {
      parseConfig({ ...testContext, stripePartnerEventSource: value });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('is optional, and empty means unset (to override cdk.json on the command line)', () => {
    expect(parseConfig(testContext)).not.toHaveProperty('stripePartnerEventSource');
    expect(parseConfig({ ...testContext, stripePartnerEventSource: '' })).not.toHaveProperty('stripePartnerEventSource');
    expect(parseConfig({ ...testContext, stripePartnerEventSource: SOURCE }).stripePartnerEventSource).toBe(SOURCE);
  });

  it("accepts only a Stripe partner event source's name", () => {
    for (const bad of ['aws.partner/example.com/ed_1', 'aws.partner/stripe.com/', 'aws.partner/stripe.com/ed 1', 'ed_1', 42, true]) {
      expect(problemsOf(bad), String(bad)).toEqual([
        expect.stringMatching(/^stripePartnerEventSource: Stripe's partner event source, aws\.partner\/stripe\.com\/<id>/),
      ]);
    }
  });
});

describe('without a Stripe partner event source', () => {
  const { stateful, statefulTemplate, statelessTemplate } = synthStacks();

  it('creates no partner bus, forwarding rule or queue', () => {
    expect(stateful.stripePartnerEvents).toBeUndefined();
    expect(onlyResource(statefulTemplate, 'AWS::Events::EventBus').Properties.Name).toBe('carpark-tenancy-test');
    expect(resourcesOfType(statefulTemplate, 'AWS::Events::Rule')).toEqual({});
    expect(resourcesOfType(statefulTemplate, 'AWS::SQS::Queue')).toEqual({});
    expect(resourcesOfType(statefulTemplate, 'AWS::IAM::Role')).toEqual({});
    expect(JSON.stringify(statelessTemplate.toJSON())).not.toContain('aws.partner/stripe.com/ed_');
  });
});

describe('with a Stripe partner event source', () => {
  const { stateful, statefulTemplate: template, processing, processingTemplate } = synthStacks(
    testConfig({ stripePartnerEventSource: SOURCE }),
  );

  it('alarms on any event waiting in the forwarding dead-letter queue', () => {
    const queue = stateful.stripePartnerEvents!.deadLetterQueue;
    const alarms = Object.values(resourcesOfType(processingTemplate, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(alarm.Properties.Dimensions).includes(logicalIdOf(queue)),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({ Threshold: 0, AlarmActions: [{ Ref: logicalIdOf(processing.monitoring.topic) }] });
  });
  const partner = stateful.stripePartnerEvents;
  if (!partner) throw new Error('no partner events construct');
  const rules = resourcesOfType(template, 'AWS::Events::Rule');
  const rule = rules[logicalIdOf(partner.forwardRule)] as Resource;
  const targets = rule.Properties.Targets as { Arn: unknown; RoleArn: { 'Fn::GetAtt': [string, string] } }[];

  it('creates the partner bus from the event source, named after it', () => {
    const buses = resourcesOfType(template, 'AWS::Events::EventBus');
    expect(Object.keys(buses)).toHaveLength(2);
    expect(buses[logicalIdOf(partner.partnerBus)]?.Properties).toMatchObject({ Name: SOURCE, EventSourceName: SOURCE });
    // No resource policy: only Stripe's association delivers to it.
    expect(resourcesOfType(template, 'AWS::Events::EventBusPolicy')).toEqual({});
  });

  it('has one rule on the partner bus, matching every Stripe event', () => {
    expect(Object.keys(rules)).toEqual([logicalIdOf(partner.forwardRule)]);
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: logicalIdOf(partner.partnerBus) },
      EventPattern: { source: [{ prefix: 'aws.partner/stripe.com' }] },
      State: 'ENABLED',
    });
    const event = { source: SOURCE, 'detail-type': 'invoice.paid', account: '123456789012', detail: { id: 'evt_1' } };
    expect(matchesPattern(rule.Properties.EventPattern as Record<string, unknown>, event)).toBe(true);
    expect(matchesPattern(rule.Properties.EventPattern as Record<string, unknown>, { ...event, source: 'carpark.stripe' })).toBe(false);
    // Forwarded unchanged, the event then matches the platform's own rules.
    const invoicePaid = eventRules.find((spec) => spec.id === 'InvoicePaid');
    expect(matchesPattern(invoicePaid!.pattern, event)).toBe(true);
  });

  it("targets the platform bus with EventBridge's default retries and a dead-letter queue", () => {
    expect(targets).toEqual([
      {
        Id: expect.any(String),
        Arn: arnOf(stateful.eventBus),
        RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        // No RetryPolicy: the default (185 attempts within 24 hours) applies.
        DeadLetterConfig: { Arn: arnOf(partner.deadLetterQueue) },
      },
    ]);
    // No input transformation: the event reaches the platform bus as Stripe sent it.
    expect(targets[0]).not.toHaveProperty('Input');
    expect(targets[0]).not.toHaveProperty('InputTransformer');
  });

  it("gives the target's role events:PutEvents on the platform bus and nothing else", () => {
    const roleId = targets[0]!.RoleArn['Fn::GetAtt'][0];
    const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId];
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    const roleConstruct = partner.forwardRule.node.findAll().find((c) => logicalIdOf(c) === roleId);
    const statements: Statement[] = roleStatementsOf(template, roleConstruct!);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: arnOf(stateful.eventBus) }]);
  });

  it('keeps dead letters 14 days, encrypted, TLS-only, writable by EventBridge from this rule alone', () => {
    const queueId = logicalIdOf(partner.deadLetterQueue);
    expect(resourcesOfType(template, 'AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const policy = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).find(
      (p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    const statements = (policy?.Properties.PolicyDocument as { Statement: (Statement & { Principal: unknown })[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf(partner.forwardRule) } },
      }),
    ]);
  });

  // One prod app for the retention and cdk-nag checks.
  const prodApp = testApp();
  const prod = addStacks(prodApp, testConfig({ stage: 'prod', allowedOrigins: ['https://app.example.com'], stripePartnerEventSource: SOURCE }));

  it('retains the partner bus in prod only, as the platform bus', () => {
    const prodBus = logicalIdOf(prod.stateful.stripePartnerEvents!.partnerBus);
    expect(resourcesOfType(Template.fromStack(prod.stateful), 'AWS::Events::EventBus')[prodBus]?.DeletionPolicy).toBe('Retain');
    expect(resourcesOfType(template, 'AWS::Events::EventBus')[logicalIdOf(partner.partnerBus)]?.DeletionPolicy).toBe('Delete');
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged in the stateful stack', { timeout: 120_000 }, () => {
    const checks = new AwsSolutionsChecks(prodApp);

    expect(checks.validateScope(prod.stateful).violations).toEqual([]);
    // The dead-letter queue's own finding is acknowledged, with its reason.
    const acks = partner.deadLetterQueue.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acks.flatMap((entry) => Object.keys(entry.data as object))).toEqual([expect.stringMatching(/AwsSolutions-SQS3$/)]);
  });
});
