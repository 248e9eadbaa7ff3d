import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { authorizer, cors, routes } from '../../functions/routes';
import type { AppFunction } from '../../lib/constructs/app-function';
import { DEFAULT_ROUTE_GROUP, ROUTE_GROUPS, routeGroupOf } from '../../lib/constructs/route-groups';
import { logicalIdOf, onlyResource, resourcesOfType, synthStacks, testConfig, type Resource } from './helpers';

describe('HTTP API', () => {
  const config = testConfig();
  const { stateless, statelessTemplate: template } = synthStacks(config);
  const api = stateless.api;
  const routeResources = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'));
  const routeByKey = (key: string): Resource => {
    const found = routeResources.find((r) => r.Properties.RouteKey === key);
    if (!found) throw new Error(`no route ${key}`);
    return found;
  };
  const authorizerId = Object.keys(resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer'))[0];

  it('exposes exactly the manifest routes, keyed METHOD /path', () => {
    expect(routeResources).toHaveLength(routes.length);
    expect(routeResources.map((r) => r.Properties.RouteKey).sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it('integrates every route with its own function', () => {
    const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
    const targetFunctionOf = (route: Resource): string => {
      // Target is integrations/<integration id>; the integration's URI is the function ARN, read
      // from the output of the nested stack that holds the function.
      const [, parts] = (route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'];
      const integration = integrations[parts[1].Ref];
      return JSON.stringify(integration?.Properties.IntegrationUri);
    };
    const arnInApiStack = (fn: AppFunction) => JSON.stringify(stateless.resolve(fn.functionArn));

    const targets = routes.map((route) => targetFunctionOf(routeByKey(`${route.method} ${route.path}`)));

    expect(targets).toEqual(routes.map((route) => arnInApiStack(api.routeFunctions.get(route.id)!)));
    expect(new Set(targets).size).toBe(routes.length);
    expect(targets).not.toContain(arnInApiStack(api.authorizerFunction));
  });

  it("lets API Gateway invoke each route function, from its own route's path only", () => {
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'));
    for (const route of routes) {
      const fn = api.routeFunctions.get(route.id)!;
      const found = permissions.filter((p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(stateless.resolve(fn.functionArn)));
      expect(found, route.id).toHaveLength(1);
      expect(found[0]!.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      expect(JSON.stringify(found[0]!.Properties.SourceArn), route.id).toContain(`/*/*${route.path}"`);
    }
  });

  it('keeps each route function in the nested stack of its route group, with its role and log group', () => {
    for (const route of routes) {
      const fn = api.routeFunctions.get(route.id)!;
      const stack = Stack.of(fn);
      expect(stack.nestedStackParent, route.id).toBe(stateless);
      expect(stack, route.id).toBe(api.routeGroups.get(routeGroupOf(route.path)));
      expect(Stack.of(fn.role!), route.id).toBe(stack);
      expect(Stack.of(fn.logGroup), route.id).toBe(stack);
    }
    // Only the authorizer's function is in the API stack itself.
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'))).toEqual([logicalIdOf(api.authorizerFunction)]);
  });

  it('sends routes to their group by the first path segment, and unlisted segments to the default group', () => {
    expect(routeGroupOf('/tenancies/{tenancyId}/timeline')).toBe('Tenancies');
    expect(routeGroupOf('/billing')).toBe('Billing');
    expect(routeGroupOf('/health')).toBe(DEFAULT_ROUTE_GROUP);
    expect(routeGroupOf('/something-new/{id}')).toBe(DEFAULT_ROUTE_GROUP);
    const segments = Object.values(ROUTE_GROUPS).flat();
    expect(new Set(segments).size, 'a segment is in one group only').toBe(segments.length);
    expect(Object.keys(ROUTE_GROUPS)).not.toContain(DEFAULT_ROUTE_GROUP);
  });

  it('puts the Lambda authorizer in front of user routes and nothing in front of public ones', () => {
    for (const route of routes) {
      const properties = routeByKey(`${route.method} ${route.path}`).Properties;
      if (route.auth === 'user') {
        expect(properties, route.id).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(properties.AuthorizationType, route.id).toBe('NONE');
        expect(properties.AuthorizerId, route.id).toBeUndefined();
      }
    }
    expect(routes.some((route) => route.auth === 'user')).toBe(true);
    expect(routes.some((route) => route.auth === 'public')).toBe(true);
  });

  it('configures the authorizer from the manifest, answering with simple responses', () => {
    const properties = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer').Properties;

    expect(properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [authorizer.identitySource],
      AuthorizerResultTtlInSeconds: authorizer.resultsCacheTtlSeconds,
    });
    expect(JSON.stringify(properties.AuthorizerUri)).toContain(logicalIdOf(api.authorizerFunction));
  });

  it('caches the authorizer answer for at most a minute, so a password, email or role change ends sessions within it', () => {
    expect(authorizer.resultsCacheTtlSeconds).toBeGreaterThan(0);
    expect(authorizer.resultsCacheTtlSeconds).toBeLessThanOrEqual(60);
  });

  it('logs every request as JSON to a log group kept for a month', () => {
    const settings = onlyResource(template, 'AWS::ApiGatewayV2::Stage').Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string, string] };
      Format: string;
    };
    const logGroup = resourcesOfType(template, 'AWS::Logs::LogGroup')[settings.DestinationArn['Fn::GetAtt'][0]];

    expect(logGroup?.Properties.RetentionInDays).toBe(30);
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    });
  });

  it('throttles the auto-deployed default stage', () => {
    expect(onlyResource(template, 'AWS::ApiGatewayV2::Stage').Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('allows CORS from the configured origins only, with the routes\' methods and the shared settings the twin uses', () => {
    expect(onlyResource(template, 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration).toEqual({
      AllowOrigins: config.allowedOrigins,
      AllowMethods: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'],
      AllowHeaders: [...cors.allowHeaders],
      MaxAge: cors.maxAgeSeconds,
    });
  });

  it('outputs the API URL', () => {
    const outputs = template.findOutputs('ApiUrl');

    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(logicalIdOf(api.httpApi));
  });
});
