import { describe, expect, it } from 'vitest';
import { eventRules } from '../../functions/events';
import { arnOf, logicalIdOf, onlyResource, resourcesOfType, synthStacks, testConfig, type Resource } from './helpers';
import { itDeliversWithDeadLetters } from './event-target-assertions';

describe('event bus and archive', () => {
  const dev = synthStacks(testConfig({ stage: 'dev' }));
  const prod = synthStacks(testConfig({ stage: 'prod', allowedOrigins: ['https://app.example.com'] }));

  it('creates one custom bus per stage, in the stateful stack', () => {
    expect(onlyResource(dev.statefulTemplate, 'AWS::Events::EventBus').Properties).toMatchObject({
      Name: 'carpark-tenancy-dev',
    });
    expect(resourcesOfType(dev.processingTemplate, 'AWS::Events::EventBus')).toEqual({});
  });

  it('gives the bus no resource policy: only IAM grants may put events on it', () => {
    expect(resourcesOfType(dev.statefulTemplate, 'AWS::Events::EventBusPolicy')).toEqual({});
    expect(onlyResource(dev.statefulTemplate, 'AWS::Events::EventBus').Properties.Policy).toBeUndefined();
  });

  it('archives every event on the bus for 90 days, encrypted with an AWS-owned key', () => {
    expect(onlyResource(dev.statefulTemplate, 'AWS::Events::Archive').Properties).toEqual({
      // Empty: the AWS-owned key (the CDK writes it so that removing a customer key takes effect).
      KmsKeyIdentifier: '',
      ArchiveName: 'carpark-tenancy-dev',
      Description: expect.any(String),
      SourceArn: arnOf(dev.stateful.eventBus),
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
      RetentionDays: 90,
    });
  });

  it('retains the bus and archive in prod only', () => {
    for (const type of ['AWS::Events::EventBus', 'AWS::Events::Archive']) {
      expect(onlyResource(prod.statefulTemplate, type).DeletionPolicy, type).toBe('Retain');
      expect(onlyResource(dev.statefulTemplate, type).DeletionPolicy, type).toBe('Delete');
    }
  });
});

describe('event rules', () => {
  const { stateful, processing, processingTemplate: template } = synthStacks();
  const busName = { 'Fn::ImportValue': expect.stringContaining(logicalIdOf(stateful.eventBus)) };
  const rules = Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).filter(([, rule]) => rule.Properties.EventPattern),
  );

  it('deploys one rule per manifest entry, all on the platform bus and none on the default bus', () => {
    expect(Object.keys(rules)).toHaveLength(eventRules.length);
    expect(eventRules.length).toBeGreaterThan(0);
    for (const rule of Object.values(rules)) expect(rule.Properties.EventBusName).toEqual(busName);
  });

  describe.each(eventRules.map((spec) => [spec.id, spec] as const))('%s', (id, spec) => {
    const deployed = processing.eventRules.rules.get(id);
    if (!deployed) throw new Error(`no event rule ${id}`);
    const functionArn = arnOf(deployed.function);
    const queueArn = arnOf(deployed.deadLetterQueue);
    const rule = rules[logicalIdOf(deployed.rule)] as Resource;

    it("matches the manifest's pattern verbatim, on the platform bus", () => {
      // The manifest pattern as JSON, exactly: detail-type spelled as EventBridge spells it.
      expect(rule.Properties.EventPattern).toEqual(JSON.parse(JSON.stringify(spec.pattern)));
      expect(rule.Properties).toMatchObject({ EventBusName: busName, State: 'ENABLED', Description: spec.description });
      expect(rule.Properties.ScheduleExpression).toBeUndefined();
    });

    it('targets its own function with retries and a dead-letter queue', () => {
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: functionArn,
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
          DeadLetterConfig: { Arn: queueArn },
        },
      ]);
      expect(
        (template.toJSON().Resources as Record<string, Resource>)[logicalIdOf(deployed.function)]?.Properties.Handler,
      ).toBe('index.handler');
    });

    itDeliversWithDeadLetters(template, deployed, { maxEventAgeSeconds: 6 * 3600 });
  });
});
