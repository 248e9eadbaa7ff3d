import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AppConfig } from '../config';

/** Something watched, with a name used in construct ids and alarm descriptions. */
export interface Watched<T> {
  readonly name: string;
  readonly resource: T;
}

export interface MonitoringProps {
  readonly config: AppConfig;
  readonly functions: readonly Watched<IFunction>[];
  readonly deadLetterQueues: readonly Watched<IQueue>[];
  readonly stateMachines: readonly Watched<IStateMachine>[];
  readonly httpApi: IHttpApi;
}

/** Thresholds, exported so tests and docs state the same numbers. */
export const ALARM_THRESHOLDS = {
  /** Percentage of API requests answered 5xx within 5 minutes (when there were at least 10). */
  api5xxPercent: 5,
  /** Minimum requests in 5 minutes for the 5xx rate to count. */
  api5xxMinRequests: 10,
  /** p99 latency in ms, for 3 consecutive 5-minute periods. */
  apiP99LatencyMs: 2000,
  /** SES sends a warning at 5 % bounces and may pause sending at 10 %. */
  sesBounceRate: 0.05,
  /** SES sends a warning at 0.1 % complaints and may pause sending at 0.5 %. */
  sesComplaintRate: 0.001,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms on every signal that needs a person, all notifying one encrypted, TLS-only SNS topic
 * with an email subscription to `alarmEmail`, and a dashboard of the same signals. Missing data
 * never breaches: a function that is not invoked, or a queue that is empty, is healthy.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    // SNS encryption with a customer managed key: CloudWatch cannot use the AWS managed aws/sns key.
    const key = new Key(this, 'TopicKey', {
      description: `Carpark Tenancy ${config.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Carpark Tenancy ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy (created for enforceSSL) replaces SNS's default one: let this account's alarms publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
    this.action = new SnsAction(this.topic);

    for (const { name, resource: fn } of props.functions) {
      const scope = new Construct(this, `Function${name}`);
      this.alarm(scope, 'Errors', `${name}: the function failed at least once in 5 minutes`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
      this.alarm(scope, 'Throttles', `${name}: the function was throttled at least once in 5 minutes`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
    }

    for (const { name, resource: queue } of props.deadLetterQueues) {
      this.alarm(
        this,
        `DeadLetters${name}`,
        `${name}: messages are waiting in the dead-letter queue (see docs/infrastructure.md)`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
      );
    }

    for (const { name, resource: stateMachine } of props.stateMachines) {
      const scope = new Construct(this, `Workflow${name}`);
      this.alarm(scope, 'ExecutionsFailed', `${name}: an execution failed`, stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
      this.alarm(scope, 'ExecutionsTimedOut', `${name}: an execution timed out`, stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
    }

    const { httpApi } = props;
    const requests = httpApi.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      expression: `IF(requests >= ${ALARM_THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx %',
      period: FIVE_MINUTES,
    });
    this.alarm(
      this,
      'Api5xxRate',
      `HTTP API: at least ${ALARM_THRESHOLDS.api5xxPercent} % of requests answered 5xx in 5 minutes`,
      serverErrorRate,
      ALARM_THRESHOLDS.api5xxPercent,
    );
    const latency = httpApi.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' });
    this.alarm(
      this,
      'ApiLatencyP99',
      `HTTP API: p99 latency at least ${ALARM_THRESHOLDS.apiP99LatencyMs} ms for 15 minutes`,
      latency,
      ALARM_THRESHOLDS.apiP99LatencyMs,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      3,
    );

    // Account-level SES reputation (all identities of the account and region).
    const ses = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    const bounceRate = ses('Reputation.BounceRate');
    const complaintRate = ses('Reputation.ComplaintRate');
    this.alarm(this, 'SesBounceRate', `SES: bounce rate at least ${ALARM_THRESHOLDS.sesBounceRate * 100} % (SES may pause sending at 10 %)`, bounceRate, ALARM_THRESHOLDS.sesBounceRate);
    this.alarm(this, 'SesComplaintRate', `SES: complaint rate at least ${ALARM_THRESHOLDS.sesComplaintRate * 100} % (SES may pause sending at 0.5 %)`, complaintRate, ALARM_THRESHOLDS.sesComplaintRate);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `carpark-tenancy-${config.stage}`,
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: IMetric[], width = 12) => new GraphWidget({ title, left, width, height: 6 });
    const fnMetrics = (metric: (fn: IFunction, label: string) => IMetric) =>
      props.functions.map(({ name, resource }) => metric(resource, name));
    this.dashboard.addWidgets(new TextWidget({ markdown: `# Carpark Tenancy ${config.stage}\nAlarms notify ${config.alarmEmail}.`, width: 24, height: 2 }));
    this.dashboard.addWidgets(graph('API requests and 5xx', [requests, serverErrors], 8), graph('API 5xx %', [serverErrorRate], 8), graph('API p99 latency (ms)', [latency], 8));
    this.dashboard.addWidgets(
      graph('Function errors', fnMetrics((fn, label) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label }))),
      graph('Function throttles', fnMetrics((fn, label) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label }))),
    );
    this.dashboard.addWidgets(
      graph('Dead letters waiting', props.deadLetterQueues.map(({ name, resource }) => resource.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: name })), 8),
      graph('Workflow executions failed', props.stateMachines.map(({ name, resource }) => resource.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum', label: name })), 8),
      graph('Workflow executions timed out', props.stateMachines.map(({ name, resource }) => resource.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum', label: name })), 8),
    );
    this.dashboard.addWidgets(graph('SES bounce rate', [bounceRate]), graph('SES complaint rate', [complaintRate]));
  }

  private alarm(
    scope: Construct,
    id: string,
    description: string,
    metric: IMetric,
    threshold: number,
    comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods = 1,
  ): Alarm {
    const alarm = new Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator,
      evaluationPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
