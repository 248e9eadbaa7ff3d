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
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE, type BusinessMetric } from '../../functions/observability/business-metrics';
import type { AppConfig } from '../config';

type Graph = (title: string, left: IMetric[], width?: number) => GraphWidget;

/** Something watched, with a name used in construct ids and alarm descriptions. */
export interface Watched<T> {
  readonly name: string;
  readonly resource: T;
}

export interface MonitoringProps {
  readonly config: AppConfig;
  /** The dashboard's name suffix: each stack watches its own resources on its own dashboard. */
  readonly part: string;
  /** Notify this topic; when absent, the construct creates it (one topic per stage). */
  readonly topic?: ITopic;
  readonly functions: readonly Watched<IFunction>[];
  readonly deadLetterQueues?: readonly Watched<IQueue>[];
  readonly stateMachines?: readonly Watched<IStateMachine>[];
  readonly httpApi?: IHttpApi;
  /** Account-level signals, watched once per stage: SES reputation and the business metrics. */
  readonly accountSignals?: boolean;
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

/** The dashboard's business row: every business metric, in one of these graphs. */
export const BUSINESS_GRAPHS: Readonly<Record<string, readonly BusinessMetric[]>> = {
  Tenancies: ['TenancyActivated', 'TenancySuspended', 'TenancyReinstated'],
  Invoices: ['InvoicePaid', 'InvoicePaymentFailed', 'InvoiceReattempted'],
  'Barrier plates': ['PlateRegistered', 'PlateRevoked'],
};

/**
 * Alarms on every signal that needs a person, all notifying one encrypted, TLS-only SNS topic
 * with an email subscription to `alarmEmail`, and a dashboard of the same signals. Missing data
 * never breaches: a function that is not invoked, or a queue that is empty, is healthy.
 */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.topic = props.topic ?? this.createTopic(config);
    this.action = new SnsAction(this.topic);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `carpark-tenancy-${config.stage}-${props.part}`,
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: IMetric[], width = 12) => new GraphWidget({ title, left, width, height: 6 });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# Carpark Tenancy ${config.stage}: ${props.part}\nAlarms notify ${config.alarmEmail}.`, width: 24, height: 2 }),
    );

    for (const { name, resource: fn } of props.functions) {
      const scope = new Construct(this.alarmScopeFor(fn), `Function${name}`);
      this.alarm(scope, 'Errors', `${name}: the function failed at least once in 5 minutes`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
      this.alarm(scope, 'Throttles', `${name}: the function was throttled at least once in 5 minutes`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
    }
    const fnMetrics = (metric: (fn: IFunction, label: string) => IMetric) => props.functions.map(({ name, resource }) => metric(resource, name));
    this.dashboard.addWidgets(
      graph('Function errors', fnMetrics((fn, label) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label }))),
      graph('Function throttles', fnMetrics((fn, label) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label }))),
    );

    if (props.httpApi) this.watchApi(props.httpApi, graph);
    this.watchQueuesAndWorkflows(props.deadLetterQueues ?? [], props.stateMachines ?? [], graph);
    if (props.accountSignals) this.watchAccountSignals(graph);
  }

  /**
   * Where a function's alarms go: beside the function. One of this stack's own functions gets
   * them here; one in a nested stack of this stack gets them in that nested stack, so each stack's
   * resource count grows with its own functions only, and no alarm reads a function's name through
   * an output. A function of any other stack is refused: that stack watches its own.
   */
  private alarmScopeFor(fn: IFunction): Construct {
    const own = Stack.of(this);
    const stack = Stack.of(fn);
    if (stack === own) return this;
    let parent = stack.nestedStackParent;
    while (parent && parent !== own) parent = parent.nestedStackParent;
    if (!parent) throw new Error(`${this.node.path} cannot watch ${fn.node.path}: it is neither in ${own.node.path} nor in a nested stack of it`);
    const id = `${this.node.id}Alarms`;
    return (stack.node.tryFindChild(id) as Construct | undefined) ?? new Construct(stack, id);
  }

  private createTopic(config: AppConfig): ITopic {
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
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `Carpark Tenancy ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy (created for enforceSSL) replaces SNS's default one: let this account's alarms publish.
    topic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    topic.addSubscription(new EmailSubscription(config.alarmEmail));
    return topic;
  }

  private watchQueuesAndWorkflows(queues: readonly Watched<IQueue>[], stateMachines: readonly Watched<IStateMachine>[], graph: Graph): void {
    for (const { name, resource: queue } of queues) {
      this.alarm(
        this,
        `DeadLetters${name}`,
        `${name}: messages are waiting in the dead-letter queue (see docs/infrastructure.md)`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
      );
    }

    for (const { name, resource: stateMachine } of stateMachines) {
      const scope = new Construct(this, `Workflow${name}`);
      this.alarm(scope, 'ExecutionsFailed', `${name}: an execution failed`, stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
      this.alarm(scope, 'ExecutionsTimedOut', `${name}: an execution timed out`, stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1);
    }
    if (queues.length === 0 && stateMachines.length === 0) return;
    this.dashboard.addWidgets(
      graph('Dead letters waiting', queues.map(({ name, resource }) => resource.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: name })), 8),
      graph('Workflow executions failed', stateMachines.map(({ name, resource }) => resource.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum', label: name })), 8),
      graph('Workflow executions timed out', stateMachines.map(({ name, resource }) => resource.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum', label: name })), 8),
    );
  }

  private watchApi(httpApi: IHttpApi, graph: Graph): void {
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
    this.dashboard.addWidgets(graph('API requests and 5xx', [requests, serverErrors], 8), graph('API 5xx %', [serverErrorRate], 8), graph('API p99 latency (ms)', [latency], 8));
  }

  private watchAccountSignals(graph: Graph): void {
    // Account-level SES reputation (all identities of the account and region).
    const ses = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    const bounceRate = ses('Reputation.BounceRate');
    const complaintRate = ses('Reputation.ComplaintRate');
    this.alarm(this, 'SesBounceRate', `SES: bounce rate at least ${ALARM_THRESHOLDS.sesBounceRate * 100} % (SES may pause sending at 10 %)`, bounceRate, ALARM_THRESHOLDS.sesBounceRate);
    this.alarm(this, 'SesComplaintRate', `SES: complaint rate at least ${ALARM_THRESHOLDS.sesComplaintRate * 100} % (SES may pause sending at 0.5 %)`, complaintRate, ALARM_THRESHOLDS.sesComplaintRate);
    this.dashboard.addWidgets(graph('SES bounce rate', [bounceRate]), graph('SES complaint rate', [complaintRate]));

    // Counted by the functions as EMF (functions/observability/metrics.ts), with Powertools'
    // `service` dimension; CloudWatch only matches a metric by its full set of dimensions.
    // Business events are sparse: hourly sums read better than 5-minute ones.
    const business = (metricName: BusinessMetric) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: DEFAULT_METRICS_SERVICE },
        period: Duration.hours(1),
        statistic: 'Sum',
        label: metricName,
      });
    const businessGraphs = Object.entries(BUSINESS_GRAPHS);
    this.dashboard.addWidgets(
      ...businessGraphs.map(([title, names]) => graph(`${title} (per hour)`, names.map(business), 24 / businessGraphs.length)),
    );
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
