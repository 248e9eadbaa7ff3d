import path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { ENV } from '../../functions/environment';
import type { FunctionAccess } from '../../functions/routes';
import { workflows, type WorkflowId } from '../../functions/workflows';
import type { AppConfig } from '../config';
import { depsLockFilePath, functionsDir, repoRoot } from '../paths';

/** What any function may be granted; grants are chosen per function by its FunctionAccess. */
export interface FunctionResources {
  readonly config: AppConfig;
  readonly table: ITable;
  readonly jwtSigningKey: ISecret;
  readonly stripeSecretKey: ISecret;
  /** Stripe webhook signing secret, for `stripeWebhookSecret`. */
  readonly stripeWebhookSecret: ISecret;
  readonly smartParkingApiKey: ISecret;
  /** Xero custom connection credentials (JSON), for `xero`. */
  readonly xeroCredentials: ISecret;
  /** The value CloudFront sends to the API in `x-origin-verify`, for `originVerify`. */
  readonly originVerifySecret: ISecret;
  /** The platform's event bus, for `putsEvents`. */
  readonly eventBus: IEventBus;
  /**
   * The deployed workflows, for `startsWorkflows`. Absent while the workflows' own task
   * functions are created (they start none); a function that asks for one then fails synthesis.
   */
  readonly stateMachines?: ReadonlyMap<WorkflowId, IStateMachine>;
}

export interface AppFunctionProps {
  /** Handler module relative to `functions/`, exporting `handler`. */
  readonly handlerModule: string;
  readonly description?: string;
  readonly resources: FunctionResources;
  /** Applied in the constructor; nothing beyond its own log group is granted otherwise. */
  readonly access: FunctionAccess;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
}

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Every Lambda of the platform: Node.js 24 on arm64, an ESM bundle built locally by esbuild,
 * its own log group with retention, X-Ray tracing, and a role that starts with nothing but
 * write access to that log group.
 */
/** `-c verboseBundling=true` (or in cdk.json): show what bundling does; quiet otherwise. */
export function isVerboseBundling(scope: Construct): boolean {
  const value: unknown = scope.node.tryGetContext('verboseBundling');
  return value === true || value === 'true';
}

export class AppFunction extends NodejsFunction {
  private readonly shared: FunctionResources;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const { config, table } = props.resources;
    const removalPolicy = config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // Created beside the function (a subclass cannot create children before super()).
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy });
    // Own role instead of the default one, which carries the AWSLambdaBasicExecutionRole
    // managed policy (write to any log group in the account).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });

    super(scope, id, {
      entry: path.join(functionsDir, props.handlerModule),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        [ENV.stage]: config.stage,
        [ENV.tableName]: table.tableName,
        [ENV.webBaseUrl]: config.webBaseUrl,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js runtime ships AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
        // esbuild's per-bundle summary only with `-c verboseBundling=true`; warnings always.
        logLevel: isVerboseBundling(scope) ? LogLevel.INFO : LogLevel.WARNING,
      },
    });
    this.shared = props.resources;

    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement added by active tracing uses Resource *: xray:PutTraceSegments ' +
        'and xray:PutTelemetryRecords support no resource-level permissions.',
    });

    this.grantAccess(props.access);
  }

  /** Grants exactly what `access` lists, and sets the environment variables that go with it. */
  grantAccess(access: FunctionAccess): void {
    const { config, table, jwtSigningKey, stripeSecretKey, stripeWebhookSecret, smartParkingApiKey, eventBus, stateMachines } =
      this.shared;
    const { xeroCredentials } = this.shared;

    if (access.table && access.table.length > 0) {
      // Index ARNs only for Query (the only listed action that reads an index), one per GSI.
      const indexArns = access.table.includes('Query')
        ? tableSchema.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)
        : [];
      this.addToRolePolicy(
        new PolicyStatement({
          actions: access.table.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn, ...indexArns],
        }),
      );
    }

    if (access.originVerify) {
      this.shared.originVerifySecret.grantRead(this);
      this.addEnvironment(ENV.originVerifySecretId, this.shared.originVerifySecret.secretArn);
    }

    if (access.jwtSigningKey) {
      jwtSigningKey.grantRead(this);
      // The id only: the function fetches the value at runtime, so it never sits in config.
      this.addEnvironment(ENV.jwtSecretId, jwtSigningKey.secretArn);
    }

    if (access.sendsEmail) {
      const sender = config.senderEmail;
      const domain = sender.slice(sender.lastIndexOf('@') + 1);
      const stack = Stack.of(this);
      const identityArn = (name: string) =>
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          // SES authorizes against the address identity or, when only the domain is verified,
          // the domain identity; the condition pins the From address either way.
          resources: [identityArn(sender), identityArn(domain)],
          conditions: { StringEquals: { 'ses:FromAddress': sender } },
        }),
      );
      this.addEnvironment(ENV.senderEmail, sender);
    }

    // An address, not a grant: the SES statement above already covers sending to it.
    if (access.alertsAdmins) {
      if (!access.sendsEmail) throw new Error(`${this.node.path} alerts admins by email but does not send email`);
      this.addEnvironment(ENV.adminAlertEmail, config.alarmEmail);
    }

    if (access.stripe) {
      stripeSecretKey.grantRead(this);
      // STRIPE_API_URL stays unset on AWS: the SDK's default, https://api.stripe.com.
      this.addEnvironment(ENV.stripeSecretKeyId, stripeSecretKey.secretArn);
    }

    if (access.stripeWebhookSecret) {
      stripeWebhookSecret.grantRead(this);
      this.addEnvironment(ENV.stripeWebhookSecretId, stripeWebhookSecret.secretArn);
    }

    if (access.putsEvents) {
      // events:PutEvents on this bus's ARN alone (not the default bus, not events:*).
      eventBus.grantPutEventsTo(this);
      this.addEnvironment(ENV.eventBusName, eventBus.eventBusName);
    }

    if (access.smartParking) {
      smartParkingApiKey.grantRead(this);
      this.addEnvironment(ENV.smartParkingApiKeyId, smartParkingApiKey.secretArn);
      this.addEnvironment(ENV.smartParkingBaseUrl, config.smartParkingBaseUrl);
    }

    if (access.xero) {
      xeroCredentials.grantRead(this);
      // XERO_API_URL and XERO_IDENTITY_URL stay unset on AWS: the adapter's default is Xero itself.
      this.addEnvironment(ENV.xeroCredentialsSecretId, xeroCredentials.secretArn);
    }

    for (const workflowId of access.startsWorkflows ?? []) {
      const stateMachine = stateMachines?.get(workflowId);
      const spec = workflows.find((workflow) => workflow.id === workflowId);
      if (!stateMachine || !spec) {
        throw new Error(`${this.node.path} starts workflow ${workflowId}, which is not available to it`);
      }
      // states:StartExecution on this state machine's ARN alone.
      stateMachine.grantStartExecution(this);
      this.addEnvironment(spec.arnEnv, stateMachine.stateMachineArn);
    }

    if (access.dunningSchedule && config.dunningRetryDays) this.addEnvironment(ENV.dunningRetryDays, config.dunningRetryDays);

    // Public values, so plain environment variables (the handler defaults the Stripe.js URL).
    if (access.browserConfig && config.stripePublishableKey) this.addEnvironment(ENV.stripePublishableKey, config.stripePublishableKey);
    if (access.browserConfig && config.stripeJsUrl) this.addEnvironment(ENV.stripeJsUrl, config.stripeJsUrl);

    for (const workflowId of access.stopsWorkflows ?? []) {
      const stateMachine = stateMachines?.get(workflowId);
      const spec = workflows.find((workflow) => workflow.id === workflowId);
      if (!stateMachine || !spec) {
        throw new Error(`${this.node.path} stops workflow ${workflowId}, which is not available to it`);
      }
      // states:StopExecution on this state machine's executions alone.
      stateMachine.grantExecution(this, 'states:StopExecution');
      this.addEnvironment(spec.arnEnv, stateMachine.stateMachineArn);
      // The finding names the execution ARN pattern exactly, so any other wildcard stays flagged.
      // A state machine of another stack reaches this one as the import of its automatic export.
      const machineStack = Stack.of(stateMachine);
      const arn = machineStack === Stack.of(this) ? stateMachine.stateMachineArn : machineStack.exportValue(stateMachine.stateMachineArn);
      const machine = JSON.stringify(Stack.of(this).resolve(arn));
      Validations.of(this.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",${machine}]}]}:*]`,
        reason:
          `states:StopExecution on the executions of ${workflowId} only (execution:<machine>:*): ` +
          'an execution ARN holds its name, which is per invoice and not known when the policy is written.',
      });
    }
  }
}
