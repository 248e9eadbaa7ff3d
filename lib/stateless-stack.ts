import { CfnOutput, CrossStackReferences, NestedStack, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { WorkflowId } from '../functions/workflows';
import { AppFunction, type FunctionResources } from './constructs/app-function';
import { Monitoring, type Watched } from './constructs/monitoring';
import { RouteApi } from './constructs/route-api';

export interface StatelessStackProps extends StackProps {
  readonly resources: FunctionResources & { readonly stateMachines: ReadonlyMap<WorkflowId, IStateMachine> };
  /** The stage's alarm topic (processing stack). */
  readonly alarmTopic: ITopic;
}

/**
 * Every AppFunction in a stack and its nested stacks, found by walking the tree so a new kind of
 * function cannot be left without alarms.
 */
export function appFunctionsOf(stack: Stack): Watched<AppFunction>[] {
  // Named by its path below the stack, nested stacks left out (`Api-LoginFunction`), so the
  // name does not change with the nested stack a function is in.
  const depth = stack.node.scopes.length;
  return stack.node
    .findAll()
    .filter((construct): construct is AppFunction => construct instanceof AppFunction)
    .map((fn) => ({
      name: fn.node.scopes
        .slice(depth)
        .filter((scope) => !NestedStack.isNestedStack(scope))
        .map((scope) => scope.node.id)
        .join('-'),
      resource: fn,
    }));
}

/**
 * The HTTP API: its routes, their functions and the authorizer, and the alarms that watch them.
 * The workflows it starts live in the processing stack.
 */
export class StatelessStack extends Stack {
  readonly api: RouteApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { resources, alarmTopic, ...stackProps } = props;
    super(scope, id, stackProps);
    // Exports/imports: CloudFormation refuses to delete the table or secrets while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.api = new RouteApi(this, 'Api', { resources });
    this.monitoring = new Monitoring(this, 'ApiMonitoring', {
      config: resources.config,
      part: 'api',
      topic: alarmTopic,
      functions: appFunctionsOf(this),
      httpApi: this.api.httpApi,
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API',
      value: this.api.stage.url,
    });
  }
}
