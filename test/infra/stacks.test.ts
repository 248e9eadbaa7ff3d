import { NestedStack, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { resourcesOfType, synthStacks, testConfig } from './helpers';

/**
 * CloudFormation refuses a template with more than 500 resources, 200 outputs or 200
 * parameters, and a failed deploy is the first sign. These budgets fail the tests well before.
 */
const MAX_RESOURCES = 400;
const MAX_OUTPUTS = 180;
const MAX_PARAMETERS = 180;

describe('stack sizes', () => {
  // With every optional resource on, to measure the largest templates.
  const stacks = synthStacks(testConfig({ stripePartnerEventSource: 'aws.partner/stripe.com/ed_test_123' }));
  const templates: [string, Stack, Template][] = [
    ['stateful', stacks.stateful, stacks.statefulTemplate],
    ['processing', stacks.processing, stacks.processingTemplate],
    ['stateless', stacks.stateless, stacks.statelessTemplate],
    ['site', stacks.site, stacks.siteTemplate],
    ...stacks.nestedTemplates.map(({ stack, template }) => [stack.node.path, stack, template] as [string, Stack, Template]),
  ];
  const count = (template: Template, section: 'Resources' | 'Outputs' | 'Parameters') =>
    Object.keys((template.toJSON() as Record<string, Record<string, unknown> | undefined>)[section] ?? {}).length;

  it.each(templates)(`keeps %s below ${MAX_RESOURCES} resources, ${MAX_OUTPUTS} outputs and ${MAX_PARAMETERS} parameters`, (_name, _stack, template) => {
    expect(count(template, 'Resources')).toBeLessThan(MAX_RESOURCES);
    expect(count(template, 'Outputs')).toBeLessThan(MAX_OUTPUTS);
    expect(count(template, 'Parameters')).toBeLessThan(MAX_PARAMETERS);
  });

  it('has every nested stack of the app in its list (none is left unmeasured)', () => {
    const app = stacks.stateless.node.root;
    const nested = app.node.findAll().filter((construct) => NestedStack.isNestedStack(construct));
    expect(nested.length).toBeGreaterThan(0);
    expect(stacks.nestedTemplates.map(({ stack }) => stack.node.path).sort()).toEqual(nested.map((stack) => stack.node.path).sort());
  });

  it('keeps in the API stack only the route, its integration and its invoke permission per route', () => {
    const template = stacks.statelessTemplate;
    const perType = (type: string) => Object.keys(resourcesOfType(template, type)).length;
    expect(perType('AWS::ApiGatewayV2::Route')).toBe(routes.length);
    expect(perType('AWS::ApiGatewayV2::Integration')).toBe(routes.length);
    // One per route, and the authorizer's.
    expect(perType('AWS::Lambda::Permission')).toBe(routes.length + 1);
    // The authorizer's function, role, policy and log group, its two alarms and the API's two.
    expect(perType('AWS::Lambda::Function')).toBe(1);
    expect(perType('AWS::CloudWatch::Alarm')).toBe(4);
    expect(perType('AWS::CloudFormation::Stack')).toBe(stacks.stateless.api.routeGroups.size);
  });

  it('creates no export beyond what another stack imports', () => {
    // Exports count against the 200 outputs of their stack and cannot change while imported.
    const exported = templates.flatMap(([, , template]) =>
      Object.values((template.toJSON().Outputs ?? {}) as Record<string, { Export?: { Name: unknown } }>)
        .filter((output) => output.Export)
        .map((output) => JSON.stringify(output.Export!.Name)),
    );
    const imports = JSON.stringify(templates.map(([, , template]) => template.toJSON()));
    for (const name of exported) expect(imports, name).toContain(`"Fn::ImportValue":${name}`);
    // The nested stacks read everything through imports or their parent: none exports.
    for (const { template } of stacks.nestedTemplates) {
      expect(Object.values((template.toJSON().Outputs ?? {}) as Record<string, { Export?: unknown }>).filter((o) => o.Export)).toEqual([]);
    }
  });
});
