import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Duration, type App } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { afterAll, describe, expect, it } from 'vitest';
import { workflows, type WorkflowId, type WorkflowSpec } from '../../functions/workflows';
import { checkDefinition } from '../../lib/constructs/workflows';
import { stateMachinesDir } from '../../lib/paths';
import {
  actionsOf,
  arnOf,
  logicalIdOf,
  resourcesOf,
  resourcesOfType,
  roleStatementsOf,
  synthStacks,
  testConfig,
} from './helpers';

/** The `${Key}` placeholders an ASL file uses. */
function placeholdersOf(definitionFile: string): string[] {
  const text = readFileSync(path.join(stateMachinesDir, definitionFile), 'utf8');
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!))].sort();
}

/** Every Task state's TimeoutSeconds, nested states included. */
function taskTimeoutsOf(definitionFile: string): number[] {
  type State = { Type: string; TimeoutSeconds?: number; Branches?: { States: Record<string, State> }[] };
  const walk = (states: Record<string, State>): number[] =>
    Object.values(states).flatMap((state) => [
      ...(state.Type === 'Task' ? [state.TimeoutSeconds ?? Infinity] : []),
      ...(state.Branches ?? []).flatMap((branch) => walk(branch.States)),
    ]);
  const definition = JSON.parse(readFileSync(path.join(stateMachinesDir, definitionFile), 'utf8')) as {
    States: Record<string, State>;
  };
  return walk(definition.States);
}

const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

describe('workflows', () => {
  const config = testConfig();
  const { processing, processingTemplate: template } = synthStacks(config);
  const deployed = processing.workflows;
  const machineResources = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  const machineOf = (id: string) => {
    const machine = deployed.stateMachines.get(id as WorkflowId);
    if (!machine) throw new Error(`no state machine ${id}`);
    const resource = machineResources[logicalIdOf(machine)];
    if (!resource) throw new Error(`no AWS::StepFunctions::StateMachine for ${id}`);
    return { machine, properties: resource.Properties };
  };
  const taskFunctionArnsOf = (workflow: WorkflowSpec) =>
    [...new Set(Object.values(workflow.tasks).map((task) => task.handler))].map((handler) =>
      arnOf(deployed.taskFunctions.get(handler)!),
    );

  it('deploys one state machine per manifest workflow, and nothing else', () => {
    expect(Object.keys(machineResources)).toHaveLength(workflows.length);
    expect([...deployed.stateMachines.keys()]).toEqual(workflows.map((workflow) => workflow.id));
  });

  it('deploys one task function per distinct handler, shared by the workflows that use it', () => {
    const handlers = new Set(workflows.flatMap((workflow) => Object.values(workflow.tasks).map((task) => task.handler)));
    expect([...deployed.taskFunctions.keys()].sort()).toEqual([...handlers].sort());

    // NotifyTenant is in every tenancy workflow: one function, substituted into each definition.
    const notify = arnOf(deployed.taskFunctions.get('handlers/tasks/notify-tenant.ts')!);
    const users = workflows.filter((workflow) => 'NotifyTenantFunctionArn' in workflow.tasks);
    expect(users.map((w) => w.id)).toEqual(['TenancySetup', 'TenancyCancellation', 'PlateChange', 'VehicleChange']);
    for (const workflow of users) {
      expect(machineOf(workflow.id).properties.DefinitionSubstitutions, workflow.id).toMatchObject({
        NotifyTenantFunctionArn: notify,
      });
    }
  });

  describe.each(workflows.map((workflow) => [workflow.id, workflow as WorkflowSpec] as const))('%s', (id, workflow) => {
    it('is a Standard state machine with X-Ray tracing, logging ALL events to its own log group', () => {
      const { properties } = machineOf(id);

      expect(properties.StateMachineType).toBe('STANDARD');
      expect(properties.TracingConfiguration).toEqual({ Enabled: true });
      const logging = properties.LoggingConfiguration as {
        Level: string;
        IncludeExecutionData: boolean;
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[];
      };
      expect(logging.Level).toBe('ALL');
      expect(logging.IncludeExecutionData).toBe(false);
      expect(logging.Destinations).toHaveLength(1);
      const logGroupId = logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
        LogGroupName: `/aws/vendedlogs/states/carpark-tenancy-${config.stage}-${id}`,
        RetentionInDays: 30,
      });
    });

    it('is defined by its ASL file, deployed unchanged as an asset', () => {
      const { machine, properties } = machineOf(id);
      const asset = machine.node.findChild('DefinitionBody') as Asset;
      const outdir = (machine.node.root as App).outdir;

      expect(properties.DefinitionString).toBeUndefined();
      expect(properties.DefinitionS3Location).toMatchObject({ Key: `${asset.assetHash}.json` });
      expect(readFileSync(path.join(outdir, asset.assetPath), 'utf8')).toBe(
        readFileSync(path.join(stateMachinesDir, workflow.definitionFile), 'utf8'),
      );
    });

    it('substitutes every ${...} of its definition, and only those, with its task functions’ ARNs', () => {
      const substitutions = machineOf(id).properties.DefinitionSubstitutions as Record<string, unknown>;

      expect(Object.keys(substitutions).sort()).toEqual(placeholdersOf(workflow.definitionFile));
      expect(Object.keys(substitutions).sort()).toEqual(Object.keys(workflow.tasks).sort());
      for (const [key, task] of Object.entries(workflow.tasks)) {
        expect(substitutions[key], key).toEqual(arnOf(deployed.taskFunctions.get(task.handler)!));
      }
    });

    it('runs as its own role, which may invoke its task functions and nothing else', () => {
      const { machine, properties } = machineOf(id);
      const statements = roleStatementsOf(template, machine.role);
      const invoke = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));

      expect(properties.RoleArn).toEqual(arnOf(machine.role));
      expect(invoke).toHaveLength(1);
      expect(invoke[0]!.Action).toBe('lambda:InvokeFunction');
      // Exactly its functions' ARNs: no `:*` versions, no other workflow's functions.
      expect(resourcesOf(invoke[0]!)).toEqual(taskFunctionArnsOf(workflow));
      // Beyond invoking: only what logging and tracing need.
      expect(actionsOf(statements).sort()).toEqual(
        ['lambda:InvokeFunction', ...LOG_DELIVERY_ACTIONS, ...TRACING_ACTIONS].sort(),
      );
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      const trust = resourcesOfType(template, 'AWS::IAM::Role')[logicalIdOf(machine.role)]?.Properties
        .AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] };
      expect(trust.Statement.map((s) => s.Principal)).toEqual([{ Service: 'states.amazonaws.com' }]);
    });

    it('gives its task functions a timeout below every Task timeout of the definition', () => {
      const timeouts = taskTimeoutsOf(workflow.definitionFile);
      expect(timeouts.length).toBeGreaterThan(0);
      for (const task of Object.values(workflow.tasks)) {
        const fn = resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(deployed.taskFunctions.get(task.handler)!)];
        expect(fn?.Properties.Timeout, task.handler).toBe(20);
        expect(Math.min(...timeouts)).toBeGreaterThan(20);
      }
    });
  });

  it('lets no role but the state machines’ own invoke the task functions', () => {
    const machineRoles = new Set([...deployed.stateMachines.values()].map((machine) => logicalIdOf(machine.role)));
    const policies = resourcesOfType(template, 'AWS::IAM::Policy');
    for (const [policyId, policy] of Object.entries(policies)) {
      const statements = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement;
      if (!statements.some((s) => [s.Action].flat().includes('lambda:InvokeFunction'))) continue;
      const roles = (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
      expect(roles.every((role) => machineRoles.has(role)), policyId).toBe(true);
    }
  });

  describe('the ASL/manifest guard', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asl-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const task = { handler: 'handlers/tasks/x.ts', access: {} };
    const write = (definition: object) => {
      const file = path.join(dir, `${Math.random().toString(36).slice(2)}.asl.json`);
      writeFileSync(file, JSON.stringify(definition));
      return file;
    };
    const spec = (tasks: Record<string, typeof task>): WorkflowSpec => ({
      id: 'Test',
      definitionFile: 'test.asl.json',
      arnEnv: 'TEST_ARN',
      tasks,
    });
    const taskState = (resource: string, timeout?: number) => ({
      Type: 'Task',
      Resource: resource,
      ...(timeout === undefined ? {} : { TimeoutSeconds: timeout }),
      End: true,
    });

    it('accepts a definition whose placeholders are exactly the manifest tasks', () => {
      const file = write({ StartAt: 'A', States: { A: taskState('${AFunctionArn}', 30) } });
      expect(() => checkDefinition(spec({ AFunctionArn: task }), file, Duration.seconds(20))).not.toThrow();
    });

    it('fails synthesis on a placeholder the manifest does not list, or a task the ASL never uses', () => {
      const file = write({ StartAt: 'A', States: { A: taskState('${AFunctionArn}', 30) } });
      expect(() => checkDefinition(spec({}), file, Duration.seconds(20))).toThrow(/not in the manifest \[AFunctionArn\]/);
      expect(() => checkDefinition(spec({ AFunctionArn: task, BFunctionArn: task }), file, Duration.seconds(20))).toThrow(
        /not in the ASL \[BFunctionArn\]/,
      );
    });

    it('fails synthesis when a Task, even in a Parallel branch, times out before its function does', () => {
      const file = write({
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'A', States: { A: taskState('${AFunctionArn}', 20) } }],
            End: true,
          },
        },
      });
      expect(() => checkDefinition(spec({ AFunctionArn: task }), file, Duration.seconds(20))).toThrow(
        /Task A times out after 20 s/,
      );
    });
  });
});
