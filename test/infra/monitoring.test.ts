import { describe, expect, it } from 'vitest';
import { workflows } from '../../functions/workflows';
import { ALARM_THRESHOLDS } from '../../lib/constructs/monitoring';
import { deployedFunctions, logicalIdOf, onlyResource, resourcesOfType, synthStacks, testContext, type Resource } from './helpers';

describe('monitoring', () => {
  const stacks = synthStacks();
  const { stateless, statelessTemplate: template } = stacks;
  const topicRef = { Ref: logicalIdOf(stateless.monitoring.topic) };
  const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));

  /** Alarms on a metric with the given name and one dimension whose value refers to the construct. */
  const alarmsOn = (metricName: string, dimension: string, ref: unknown): Resource[] =>
    alarms.filter(
      (alarm) =>
        alarm.Properties.MetricName === metricName &&
        JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: dimension, Value: ref }]),
    );

  it('notifies one encrypted, TLS-only topic, subscribed by alarmEmail', () => {
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    onlyResource(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });

    expect(onlyResource(template, 'AWS::SNS::Subscription').Properties).toEqual({
      Protocol: 'email',
      Endpoint: testContext.alarmEmail,
      TopicArn: topicRef,
    });

    const statements = (onlyResource(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument as { Statement: unknown[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
  });

  it('gives every alarm the topic as its action, and treats missing data as not breaching', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.AlarmDescription).toEqual(expect.any(String));
    }
  });

  const functions = deployedFunctions(stacks);
  it('watches every AppFunction in the stack, and every manifest function is one of them', () => {
    const lambdas = Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'));
    // Every Lambda of the stateless stack is an AppFunction of a manifest.
    expect(functions.map(({ fn }) => logicalIdOf(fn)).sort()).toEqual(lambdas.sort());
  });

  it.each(functions.map((f) => [`${f.kind} ${f.id}`, f] as const))(
    '%s has an Errors and a Throttles alarm',
    (_name, { fn }) => {
      for (const metricName of ['Errors', 'Throttles']) {
        const found = alarmsOn(metricName, 'FunctionName', { Ref: logicalIdOf(fn) });
        expect(found, metricName).toHaveLength(1);
        expect(found[0]!.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
        });
      }
    },
  );

  const queues = [
    ...[...stateless.scheduledJobs.jobs].map(([id, job]) => [`job ${id}`, job.deadLetterQueue] as const),
    ...[...stateless.eventRules.rules].map(([id, rule]) => [`event rule ${id}`, rule.deadLetterQueue] as const),
  ];
  it('covers every SQS queue of the stack (all of them are dead-letter queues)', () => {
    expect(queues.map(([, queue]) => logicalIdOf(queue)).sort()).toEqual(
      Object.keys(resourcesOfType(template, 'AWS::SQS::Queue')).sort(),
    );
  });

  it.each(queues)('the %s dead-letter queue alarms on any visible message', (_name, queue) => {
    const found = alarmsOn('ApproximateNumberOfMessagesVisible', 'QueueName', {
      'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'],
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each(workflows.map((workflow) => workflow.id))('the %s state machine alarms on failed and timed-out executions', (id) => {
    const stateMachine = stateless.workflows.stateMachines.get(id);
    if (!stateMachine) throw new Error(`no state machine ${id}`);
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const found = alarmsOn(metricName, 'StateMachineArn', { Ref: logicalIdOf(stateMachine) });
      expect(found, metricName).toHaveLength(1);
      expect(found[0]!.Properties).toMatchObject({
        Namespace: 'AWS/States',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms on the API 5xx rate and p99 latency', () => {
    const apiRef = { Ref: logicalIdOf(stateless.api.httpApi) };
    const rate = alarms.filter((alarm) => Array.isArray(alarm.Properties.Metrics));
    expect(rate).toHaveLength(1);
    const metrics = rate[0]!.Properties.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown>; Stat: string } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      `IF(requests >= ${ALARM_THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
    );
    expect(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Stat, m.MetricStat!.Metric.Dimensions])).toEqual(
      expect.arrayContaining([
        ['requests', 'Count', 'Sum', [{ Name: 'ApiId', Value: apiRef }]],
        ['errors', '5xx', 'Sum', [{ Name: 'ApiId', Value: apiRef }]],
      ]),
    );
    expect(rate[0]!.Properties).toMatchObject({ Threshold: ALARM_THRESHOLDS.api5xxPercent, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });

    const latency = alarmsOn('Latency', 'ApiId', apiRef);
    expect(latency).toHaveLength(1);
    expect(latency[0]!.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      ExtendedStatistic: 'p99',
      Threshold: ALARM_THRESHOLDS.apiP99LatencyMs,
      EvaluationPeriods: 3,
    });
  });

  it('alarms on the account SES bounce and complaint rates', () => {
    for (const [metricName, threshold] of [
      ['Reputation.BounceRate', ALARM_THRESHOLDS.sesBounceRate],
      ['Reputation.ComplaintRate', ALARM_THRESHOLDS.sesComplaintRate],
    ] as const) {
      const found = alarms.filter((alarm) => alarm.Properties.MetricName === metricName);
      expect(found, metricName).toHaveLength(1);
      expect(found[0]!.Properties).toMatchObject({ Namespace: 'AWS/SES', Threshold: threshold });
      expect(found[0]!.Properties.Dimensions).toBeUndefined();
    }
  });

  it('has exactly these alarms: two per function, one per queue, two per workflow, two for the API, two for SES', () => {
    expect(alarms).toHaveLength(functions.length * 2 + queues.length + workflows.length * 2 + 2 + 2);
  });

  it('draws the same signals on a dashboard', () => {
    const dashboard = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(template.toJSON().Resources[logicalIdOf(stateless.monitoring.dashboard)].Properties.DashboardBody);
    expect(dashboard.Properties.DashboardName).toBe(`carpark-tenancy-${testContext.stage}`);
    for (const metric of ['Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible', 'ExecutionsFailed', 'ExecutionsTimedOut', 'Latency', '5xx', 'Reputation.BounceRate', 'Reputation.ComplaintRate']) {
      expect(body, metric).toContain(`\\"${metric}\\"`);
    }
  });

  it('keeps the stack well below CloudFormation\'s 500 resources', () => {
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(400);
  });
});
