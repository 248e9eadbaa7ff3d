import { readFileSync } from 'node:fs';
import { App, NestedStack, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { FunctionAccess } from '../../functions/routes';
import { eventRules } from '../../functions/events';
import { authorizer, routes } from '../../functions/routes';
import { scheduledJobs } from '../../functions/schedules';
import { workflows } from '../../functions/workflows';
import { addStacks, type AppStacks } from '../../lib/app';
import { parseConfig, type AppConfig } from '../../lib/config';
import type { AppFunction } from '../../lib/constructs/app-function';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const featureFlags = Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => key.startsWith('@aws-cdk')));

export const testContext = {
  stage: 'test',
  alarmEmail: 'alerts@example.com',
  allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
  webBaseUrl: 'https://app.example.com',
  senderEmail: 'no-reply@mail.example.com',
  smartParkingBaseUrl: 'https://barriers.example.com/api',
  stripePublishableKey: 'pk_test_51TestPublishableKey',
};

export function testConfig(overrides: Partial<Record<keyof AppConfig, unknown>> = {}): AppConfig {
  return parseConfig({ ...testContext, ...overrides });
}

/**
 * An app whose NodejsFunctions skip esbuild. CDK's built-in CloudFormation validation (a WASM
 * engine that takes seconds to start) is off unless asked for: the cdk-nag test keeps it on.
 */
export function testApp({ cloudFormationValidation = false } = {}): App {
  return new App({
    // The feature flags cdk.json sets, so the templates tested are the ones `cdk synth` makes.
    context: { ...featureFlags, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: cloudFormationValidation,
  });
}

export interface TestStacks extends AppStacks {
  readonly statefulTemplate: Template;
  readonly processingTemplate: Template;
  readonly statelessTemplate: Template;
  readonly siteTemplate: Template;
  /** Every nested stack of every stack (the API's route groups), with its template. */
  readonly nestedTemplates: readonly { readonly stack: NestedStack; readonly template: Template }[];
  /**
   * The processing and stateless (API) stacks' resources and their nested stacks' in one
   * template: every function, every alarm, wherever it lives.
   */
  readonly functionsTemplate: Template;
}

/** Every nested stack below a stack, at any depth. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node.findAll().filter((construct): construct is NestedStack => construct !== stack && NestedStack.isNestedStack(construct));
}

export function synthStacks(config: AppConfig = testConfig()): TestStacks {
  const stacks = addStacks(testApp(), config);
  const processingTemplate = Template.fromStack(stacks.processing);
  const statelessTemplate = Template.fromStack(stacks.stateless);
  const nestedTemplates = [stacks.processing, stacks.stateless].flatMap(nestedStacksOf).map((stack) => ({ stack, template: Template.fromStack(stack) }));
  const merged: Record<string, unknown> = {};
  for (const template of [processingTemplate, statelessTemplate, ...nestedTemplates.map((nested) => nested.template)]) {
    for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, unknown>)) {
      // Logical ids are unique per template only; merged, a clash would hide a resource.
      if (id in merged) throw new Error(`logical id ${id} used in two stacks`);
      merged[id] = resource;
    }
  }
  return {
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    processingTemplate,
    statelessTemplate,
    siteTemplate: Template.fromStack(stacks.site),
    nestedTemplates,
    functionsTemplate: Template.fromJSON({ Resources: merged }),
  };
}

/** The template of the stack (or nested stack) that holds the construct. */
export function templateOf(stacks: TestStacks, construct: IConstruct): Template {
  const stack = Stack.of(construct);
  const found = [
    [stacks.stateful, stacks.statefulTemplate],
    [stacks.processing, stacks.processingTemplate],
    [stacks.stateless, stacks.statelessTemplate],
    [stacks.site, stacks.siteTemplate],
    ...stacks.nestedTemplates.map((nested) => [nested.stack, nested.template] as const),
  ].find(([candidate]) => candidate === stack);
  if (!found) throw new Error(`no template for ${construct.node.path}`);
  return found[1] as Template;
}

export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourcesOfType(template: Template, type: string, props?: object): Record<string, Resource> {
  return template.findResources(type, props ? { Properties: props } : undefined) as Record<string, Resource>;
}

export function onlyResource(template: Template, type: string): Resource {
  const all = Object.values(resourcesOfType(template, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0] as Resource;
}

export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type FunctionKind = 'route' | 'authorizer' | 'task' | 'job' | 'consumer';

/** One deployed function with the manifest entry it came from. */
export interface DeployedFunction {
  readonly kind: FunctionKind;
  /** Route, job or event-rule id, `Authorizer`, or a task's handler module. */
  readonly id: string;
  readonly handler: string;
  readonly access: FunctionAccess;
  readonly fn: AppFunction;
}

/** Every function of every manifest (routes, authorizer, workflow tasks, jobs, event consumers), as deployed. */
export function deployedFunctions(stacks: AppStacks): DeployedFunction[] {
  const { api } = stacks.stateless;
  const { workflows: deployedWorkflows, scheduledJobs: deployedJobs, eventRules: deployedRules } = stacks.processing;
  const found = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`no function for ${what}`);
    return value;
  };
  const tasks = new Map(workflows.flatMap((workflow) => Object.values(workflow.tasks)).map((task) => [task.handler, task]));
  return [
    ...routes.map((route) => ({
      kind: 'route' as const,
      id: route.id,
      handler: route.handler,
      access: route.access,
      fn: found(api.routeFunctions.get(route.id), route.id),
    })),
    { kind: 'authorizer', id: authorizer.id, handler: authorizer.handler, access: authorizer.access, fn: api.authorizerFunction },
    ...[...tasks.values()].map((task) => ({
      kind: 'task' as const,
      id: task.handler,
      handler: task.handler,
      access: task.access,
      fn: found(deployedWorkflows.taskFunctions.get(task.handler), task.handler),
    })),
    ...scheduledJobs.map((job) => ({
      kind: 'job' as const,
      id: job.id,
      handler: job.handler,
      access: job.access,
      fn: found(deployedJobs.jobs.get(job.id)?.function, job.id),
    })),
    ...eventRules.map((rule) => ({
      kind: 'consumer' as const,
      id: rule.id,
      handler: rule.target.handler,
      access: rule.target.access,
      fn: found(deployedRules.rules.get(rule.id)?.function, rule.id),
    })),
  ];
}

/** Every statement of every policy attached to the role. */
export function roleStatementsOf(template: Template, role: IConstruct): Statement[] {
  const roleId = logicalIdOf(role);
  const policies = resourcesOfType(template, 'AWS::IAM::Policy', { Roles: Match.arrayWith([{ Ref: roleId }]) });
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/** Every statement of every policy attached to the function's role. */
export function statementsOf(template: Template, fn: AppFunction): Statement[] {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return roleStatementsOf(template, fn.role);
}

/** `{ "Fn::GetAtt": [<logical id>, "Arn"] }`, as CloudFormation refers to a same-stack ARN. */
export function arnOf(construct: IConstruct): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] };
}

export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
