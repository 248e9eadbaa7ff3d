import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../functions/workflows';
import { BUSINESS_METRICS, DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE } from '../../functions/observability/business-metrics';
import { ALARM_THRESHOLDS, BUSINESS_GRAPHS } from '../../lib/constructs/monitoring';
import { deployedFunctions, logicalIdOf, onlyResource, resourcesOfType, synthStacks, templateOf, testContext, type Resource } from './helpers';

describe('monitoring', () => {
  const stacks = synthStacks();
  // The processing stack owns the stage's topic; the API stack's alarms notify it through an import.
  const { processing, stateless, processingTemplate, functionsTemplate: template } = stacks;
  const topicId = logicalIdOf(processing.monitoring.topic);
  const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
  // Alarms of the API stack and of its nested stacks notify the topic through its export.
  const processingAlarmIds = new Set(Object.keys(resourcesOfType(processingTemplate, 'AWS::CloudWatch::Alarm')));
  const apiAlarmIds = new Set(Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter((id) => !processingAlarmIds.has(id)));

  /** Alarms on a metric with the given name and one dimension whose value refers to the construct. */
  const alarmsOn = (metricName: string, dimension: string, ref: unknown): Resource[] =>
    alarms.filter(
      (alarm) =>
        alarm.Properties.MetricName === metricName &&
        JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: dimension, Value: ref }]),
    );

  it('notifies one encrypted, TLS-only topic, subscribed by alarmEmail', () => {
    const topicRef = { Ref: topicId };
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    expect(Object.keys(resourcesOfType(processingTemplate, 'AWS::SNS::Topic'))).toEqual([topicId]);
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
    expect(apiAlarmIds.size).toBeGreaterThan(0);
    const alarmEntries = Object.entries(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    for (const [id, alarm] of alarmEntries) {
      const expected = apiAlarmIds.has(id) ? { 'Fn::ImportValue': expect.stringContaining(topicId) } : { Ref: topicId };
      expect(alarm.Properties.AlarmActions, id).toEqual([expected]);
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
    ...[...processing.scheduledJobs.jobs].map(([id, job]) => [`job ${id}`, job.deadLetterQueue] as const),
    ...[...processing.eventRules.rules].map(([id, rule]) => [`event rule ${id}`, rule.deadLetterQueue] as const),
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
    const stateMachine = processing.workflows.stateMachines.get(id);
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

  it('draws the same signals on a dashboard per stack', () => {
    const bodyOf = (dashboard: IConstruct) => JSON.stringify(template.toJSON().Resources[logicalIdOf(dashboard)].Properties.DashboardBody);
    const names = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName);
    expect(names.sort()).toEqual([`carpark-tenancy-${testContext.stage}-api`, `carpark-tenancy-${testContext.stage}-processing`]);
    const api = bodyOf(stateless.monitoring.dashboard);
    for (const metric of ['Errors', 'Throttles', 'Latency', '5xx']) expect(api, metric).toContain(`\\"${metric}\\"`);
    const processingBody = bodyOf(processing.monitoring.dashboard);
    for (const metric of ['Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible', 'ExecutionsFailed', 'ExecutionsTimedOut', 'Reputation.BounceRate', 'Reputation.ComplaintRate']) {
      expect(processingBody, metric).toContain(`\\"${metric}\\"`);
    }
  });

  it('graphs every business metric in one row, summed, by the service dimension Powertools emits', () => {
    expect(Object.values(BUSINESS_GRAPHS).flat().sort()).toEqual([...BUSINESS_METRICS].sort());
    const body = template.toJSON().Resources[logicalIdOf(processing.monitoring.dashboard)].Properties.DashboardBody as unknown;
    // The body is a Fn::Join of JSON text and tokens (inside its strings); the business widgets hold none.
    const parts = typeof body === 'string' ? [body] : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const joined = parts.map((part) => (typeof part === 'string' ? part : 'token')).join('');
    const { widgets } = JSON.parse(joined) as {
      widgets: { type: string; y: number; width: number; properties: { title?: string; metrics?: unknown[][] } }[];
    };
    const business = widgets.filter((w) => w.properties.metrics?.some((m) => m[0] === METRICS_NAMESPACE));
    expect(business.map((w) => w.properties.title)).toEqual(Object.keys(BUSINESS_GRAPHS).map((title) => `${title} (per hour)`));
    expect(new Set(business.map((w) => w.y)).size, 'one row').toBe(1);
    expect(business.reduce((sum, w) => sum + w.width, 0)).toBe(24);
    for (const [i, names] of Object.values(BUSINESS_GRAPHS).entries()) {
      expect(business[i]!.properties.metrics).toEqual(
        names.map((name) => [METRICS_NAMESPACE, name, 'service', DEFAULT_METRICS_SERVICE, { label: name, period: 3600, stat: 'Sum' }]),
      );
    }
  });

  it('puts each function\'s alarms in the stack that holds the function', () => {
    for (const { fn } of functions) {
      const own = Object.values(resourcesOfType(templateOf(stacks, fn), 'AWS::CloudWatch::Alarm')).filter(
        (alarm) => JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn) } }]),
      );
      expect(own, fn.node.path).toHaveLength(2);
    }
  });
});
