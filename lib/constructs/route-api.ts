import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authorizer, cors, routes } from '../../functions/routes';
import { AppFunction, type FunctionResources } from './app-function';
import { RouteGroupStack, routeGroupOf } from './route-groups';

export interface RouteApiProps {
  readonly resources: FunctionResources;
  /** Default stage throttling. @default 50 requests/s, bursts of 100 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** One JSON object per request; values stay strings because absent ones are logged as "-". */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/**
 * The HTTP API built from the route manifest: one function per route, the Lambda authorizer
 * in front of every `auth: 'user'` route, CORS, access logs and stage throttling.
 */
export class RouteApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly authorizerFunction: AppFunction;
  /** Route functions by manifest route id. */
  readonly routeFunctions: ReadonlyMap<string, AppFunction>;
  /** The nested stacks holding the route functions, by group name (lib/constructs/route-groups.ts). */
  readonly routeGroups: ReadonlyMap<string, RouteGroupStack>;

  constructor(scope: Construct, id: string, props: RouteApiProps) {
    super(scope, id);
    const { resources } = props;
    const { config } = resources;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `carpark-tenancy-${config.stage}`,
      // The stage is created below, to set access logging and throttling on it.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...config.allowedOrigins],
        // The same settings the twin's gateway applies (functions/routes.ts).
        allowMethods: [...new Set(routes.map((route) => route.method))].sort().map((method) => method as CorsHttpMethod),
        allowHeaders: [...cors.allowHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: config.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // The authorizer never denies: it labels the request with the caller's identity (or none)
    // and handlers answer 401 in the API's own error shape.
    this.authorizerFunction = new AppFunction(this, authorizer.id, {
      handlerModule: authorizer.handler,
      description: 'Turns a bearer token into the caller identity for user routes',
      access: authorizer.access,
      resources,
      timeout: Duration.seconds(5),
    });
    const userAuthorizer = new HttpLambdaAuthorizer('UserAuthorizer', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [authorizer.identitySource],
      resultsCacheTtl: Duration.seconds(authorizer.resultsCacheTtlSeconds),
    });

    // Each route's function (role, policy, log group; its alarms are added by the stack's
    // monitoring) lives in its group's nested stack, so the API stack grows by 3 resources per
    // route, not 9. The route, integration and invoke permission stay here: a route moved to
    // another stack would be created there before this one deleted it, and API Gateway refuses
    // two routes with the same key.
    const routeGroups = new Map<string, RouteGroupStack>();
    const groupStack = (group: string): RouteGroupStack => {
      const existing = routeGroups.get(group);
      if (existing) return existing;
      const created = new RouteGroupStack(this, group);
      routeGroups.set(group, created);
      return created;
    };
    const routeFunctions = new Map<string, AppFunction>();
    for (const route of routes) {
      const fn = new AppFunction(groupStack(routeGroupOf(route.path)), `${route.id}Function`, {
        handlerModule: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`,
        access: route.access,
        resources,
      });
      routeFunctions.set(route.id, fn);

      const httpRoutes = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
        authorizer: route.auth === 'user' ? userAuthorizer : undefined,
      });
      if (route.auth === 'public') {
        for (const httpRoute of httpRoutes) {
          Validations.of(httpRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public by design (${route.summary}).`,
          });
        }
      }
    }
    this.routeFunctions = routeFunctions;
    this.routeGroups = routeGroups;
  }
}
