import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addStacks, type AppStacks } from '../../lib/app';
import { parseConfig, type AppConfig } from '../../lib/config';
import type { AppFunction } from '../../lib/constructs/app-function';

export const testContext = {
  stage: 'test',
  alarmEmail: 'alerts@example.com',
  allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
  webBaseUrl: 'https://app.example.com',
  senderEmail: 'no-reply@mail.example.com',
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
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: cloudFormationValidation,
  });
}

export interface TestStacks extends AppStacks {
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

export function synthStacks(config: AppConfig = testConfig()): TestStacks {
  const stacks = addStacks(testApp(), config);
  return {
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
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

/** Every statement of every policy attached to the function's role. */
export function statementsOf(template: Template, fn: AppFunction): Statement[] {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  const roleId = logicalIdOf(fn.role);
  const policies = resourcesOfType(template, 'AWS::IAM::Policy', { Roles: Match.arrayWith([{ Ref: roleId }]) });
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
