import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionAccess } from '../../functions/routes';
import { workflows, type WorkflowId, type WorkflowSpec } from '../../functions/workflows';
import { stateMachinesDir } from '../paths';
import { AppFunction, type FunctionResources } from './app-function';

export interface WorkflowsProps {
  /** What task functions may be granted. They start no workflows, so no `stateMachines`. */
  readonly resources: Omit<FunctionResources, 'stateMachines'>;
  /**
   * Task function timeout; must stay below every Task state's `TimeoutSeconds` in the ASL, so a
   * slow invocation ends as the function's own error rather than a States.Timeout while it runs on.
   * @default 20 seconds
   */
  readonly taskTimeout?: Duration;
}

/** One task function, shared by every workflow whose manifest names its handler. */
interface TaskUse {
  /** First substitution key naming the handler: `EnsureCustomerFunctionArn`. */
  readonly key: string;
  readonly access: FunctionAccess;
  readonly workflowIds: WorkflowId[];
}

/**
 * The workflow manifest deployed: one Lambda per distinct task handler (shared between
 * workflows), and one Standard state machine per workflow, built from its ASL file with each
 * `${<Name>FunctionArn}` substituted by that task function's ARN.
 *
 * Each state machine has its own role, allowed to invoke exactly its own task functions (plus
 * what logging and tracing need), its own log group and X-Ray tracing.
 */
export class Workflows extends Construct {
  /** State machines by workflow id. */
  readonly stateMachines: ReadonlyMap<WorkflowId, StateMachine>;
  /** Task functions by handler module (`handlers/tasks/...`). */
  readonly taskFunctions: ReadonlyMap<string, AppFunction>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const { resources } = props;
    const { config } = resources;
    const removalPolicy = config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const taskTimeout = props.taskTimeout ?? Duration.seconds(20);

    const uses = new Map<string, TaskUse>();
    for (const workflow of workflows) {
      for (const [key, task] of Object.entries(workflow.tasks)) {
        const use = uses.get(task.handler);
        if (!use) {
          uses.set(task.handler, { key, access: task.access, workflowIds: [workflow.id] });
          continue;
        }
        // One function per handler can carry only one set of grants.
        if (JSON.stringify(use.access) !== JSON.stringify(task.access)) {
          throw new Error(`Task handler ${task.handler} is listed with different access as ${use.key} and ${key}`);
        }
        if (!use.workflowIds.includes(workflow.id)) use.workflowIds.push(workflow.id);
      }
    }

    const taskFunctions = new Map<string, AppFunction>();
    for (const [handler, use] of uses) {
      const name = use.key.replace(/Arn$/, '');
      taskFunctions.set(
        handler,
        new AppFunction(this, name, {
          handlerModule: handler,
          description: `Workflow task ${name.replace(/Function$/, '')} (${use.workflowIds.join(', ')})`,
          access: use.access,
          resources,
          timeout: taskTimeout,
        }),
      );
    }
    this.taskFunctions = taskFunctions;

    const stateMachines = new Map<WorkflowId, StateMachine>();
    for (const workflow of workflows) {
      const definitionPath = path.join(stateMachinesDir, workflow.definitionFile);
      checkDefinition(workflow, definitionPath, taskTimeout);
      const functions = Object.entries(workflow.tasks).map(([key, task]) => {
        const fn = taskFunctions.get(task.handler);
        if (!fn) throw new Error(`No task function for ${key}`);
        return [key, fn] as const;
      });

      // The /aws/vendedlogs/ prefix keeps the account's CloudWatch Logs resource policy small:
      // Step Functions would otherwise add every log group to it (5120-character limit).
      const logGroup = new LogGroup(this, `${workflow.id}Logs`, {
        logGroupName: `/aws/vendedlogs/states/carpark-tenancy-${config.stage}-${workflow.id}`,
        retention: RetentionDays.ONE_MONTH,
        removalPolicy,
      });
      const stateMachine = new StateMachine(this, workflow.id, {
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromFile(definitionPath),
        definitionSubstitutions: Object.fromEntries(functions.map(([key, fn]) => [key, fn.functionArn])),
        logs: {
          destination: logGroup,
          level: LogLevel.ALL,
          // Every state transition is logged, without inputs and outputs: those carry plates,
          // emails and Stripe ids, and the execution history (90 days, behind IAM) already
          // holds them for debugging, so the logs need not be a second copy of personal data.
          includeExecutionData: false,
        },
        tracingEnabled: true,
      });
      // Direct Lambda ARN resources invoke the unqualified function: its ARN alone, no `:*`.
      const functionArns = [...new Set(functions.map(([, fn]) => fn))].map((fn) => fn.functionArn);
      stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functionArns }));
      Validations.of(stateMachine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the statements CDK adds for logging and tracing use Resource *: the CloudWatch Logs ' +
          'delivery actions (logs:CreateLogDelivery and the rest) and xray:PutTraceSegments, ' +
          'PutTelemetryRecords, GetSamplingRules, GetSamplingTargets support no resource-level permissions.',
      });
      stateMachines.set(workflow.id, stateMachine);
    }
    this.stateMachines = stateMachines;
  }
}

interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly Branches?: readonly { readonly States: Record<string, AslState> }[];
  readonly Iterator?: { readonly States: Record<string, AslState> };
  readonly ItemProcessor?: { readonly States: Record<string, AslState> };
}

/** Every state of an ASL document, nested Parallel branches and Map processors included. */
function allStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...[...(state.Branches ?? []), ...(state.Iterator ? [state.Iterator] : []), ...(state.ItemProcessor ? [state.ItemProcessor] : [])].flatMap(
      (nested) => allStates(nested.States),
    ),
  ]);
}

/**
 * Fails synthesis when the ASL and the manifest disagree: a `${...}` with no task in the manifest
 * (CloudFormation would deploy the literal text and Step Functions reject it), a manifest task the
 * ASL never uses (a function and grant for nothing), or a Task whose timeout the function outlives.
 */
export function checkDefinition(workflow: WorkflowSpec, definitionPath: string, taskTimeout: Duration): void {
  const text = readFileSync(definitionPath, 'utf8');
  const placeholders = new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]));
  const keys = new Set(Object.keys(workflow.tasks));
  const missing = [...placeholders].filter((key) => !keys.has(key!));
  const unused = [...keys].filter((key) => !placeholders.has(key));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `${workflow.definitionFile} and the ${workflow.id} manifest disagree: ` +
        `not in the manifest [${missing.join(', ')}], not in the ASL [${unused.join(', ')}]`,
    );
  }
  const definition = JSON.parse(text) as { States: Record<string, AslState> };
  for (const [name, state] of allStates(definition.States)) {
    if (state.Type !== 'Task' || !state.Resource?.startsWith('${')) continue;
    if (state.TimeoutSeconds !== undefined && state.TimeoutSeconds <= taskTimeout.toSeconds()) {
      throw new Error(
        `${workflow.definitionFile}: Task ${name} times out after ${state.TimeoutSeconds} s, ` +
          `not above the task function's ${taskTimeout.toSeconds()} s timeout`,
      );
    }
  }
}
