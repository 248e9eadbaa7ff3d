/**
 * The offline twin for one integration test file: its own table on the run's DynamoDB Local,
 * its own AWS stand-ins (temp outbox, generated JWT key), the real route manifest and handlers
 * behind the in-process gateway, and the environment the handlers read.
 *
 * One twin per test file: handler modules keep their AWS clients for the life of the file, as
 * Lambda containers do, so a second twin in the same file would reach the first one's stand-ins.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { authorizer as manifestAuthorizer, routes as manifestRoutes } from '../../functions/routes';
import { startAwsStandins, type AwsStandins } from '../../local/aws-standins';
import { ensureTable } from '../../local/dynamodb';
import { integrationSecrets, startIntegrations, type Integrations } from '../../local/integrations';
import { createGateway, type Gateway, type GatewayAuthorizer, type GatewayRoute } from '../../local/gateway';
import { apiPathSegments, serveGateway } from '../../local/http-server';
import { findFreePort } from '../../local/ports';
import { applyEnvironment, configuredAllowedOrigins, twinEnvironment } from '../../local/twin-environment';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGION = 'eu-west-2';

export interface TestTwinOptions {
  /** Defaults to the real manifest and `functions/`. */
  readonly routes?: readonly GatewayRoute[];
  readonly authorizer?: GatewayAuthorizer;
  readonly functionsDir?: string;
  readonly allowedOrigins?: readonly string[];
  /** Overrides the authorizer's result cache TTL (the manifest's by default). */
  readonly authorizerCacheTtlSeconds?: number;
  /** Extra Secrets Manager secrets, name → value. */
  readonly secrets?: Record<string, string>;
  /** Scales Wait states (default 0: a wait until the end of the paid period passes at once). */
  readonly waitScale?: number;
  /** Each new Stripe customer on a test clock of its own; dunning waits then follow that clock. */
  readonly customerTestClocks?: boolean;
  /** The dunning retry schedule (`1,3,5` by default). */
  readonly dunningRetryDays?: string;
  /**
   * Serve the built portal beside the API, as `npm start` does: files from `staticDir`, the app's
   * index.html for page paths. Email links (webBaseUrl) then point at this server.
   */
  readonly web?: { readonly staticDir: string };
}

export interface RequestInit {
  /** Sent as JSON with `content-type: application/json`. */
  readonly body?: unknown;
  /** Sent as is (`content-type: application/json` unless `headers` says otherwise). */
  readonly rawBody?: string | Buffer;
  /** Sent as `authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface TwinResponse {
  readonly status: number;
  /** Lower-case names; repeated values joined with `, ` (see `cookies` for set-cookie). */
  readonly headers: Record<string, string>;
  readonly cookies: string[];
  /** The parsed body when it is JSON, otherwise undefined. */
  readonly json: unknown;
  readonly text: string;
}

export interface TestTwin {
  readonly gateway: Gateway;
  /** The same gateway on a real port (Stripe's webhooks arrive over HTTP). */
  readonly apiUrl: string;
  readonly standins: AwsStandins;
  readonly outbox: AwsStandins['outbox'];
  /** SES fault switch: `twin.ses.failNext(3)`. */
  readonly ses: AwsStandins['ses'];
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly jwtSecretId: string;
  readonly jwtSecret: string;
  readonly webBaseUrl: string;
  /** Stripe stand-in, SmartParking simulator, Step Functions engine. */
  readonly integrations: Integrations;
  request(method: string, path: string, init?: RequestInit): Promise<TwinResponse>;
  close(): Promise<void>;
}

export async function startTestTwin(options: TestTwinOptions = {}): Promise<TestTwin> {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const suffix = randomUUID().slice(0, 8);
  const tableName = `carpark-test-${suffix}`;
  const jwtSecretId = `carpark-tenancy/test/jwt-signing-key-${suffix}`;
  const jwtSecret = randomBytes(48).toString('base64url');
  // With the portal served, the server's port is chosen first: email links must reach it.
  const webPort = options.web ? await findFreePort() : 0;
  const webBaseUrl = options.web ? `http://127.0.0.1:${webPort}` : 'http://127.0.0.1:3000';

  const dynamoClient = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documentClient = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTable(dynamoClient, tableName, tableSchema);

  const outboxDir = await mkdtemp(path.join(tmpdir(), 'carpark-outbox-'));
  const secrets = integrationSecrets(`carpark-tenancy/test/${suffix}`);
  const standins = await startAwsStandins({
    port: 0,
    outboxDir,
    secrets: { [jwtSecretId]: jwtSecret, ...secrets.values, ...options.secrets },
    region: REGION,
  });
  const integrations = await startIntegrations({
    rootDir: ROOT,
    secrets,
    waitScale: options.waitScale ?? 0,
    retryIntervalMs: 5,
    ...(options.customerTestClocks !== undefined && { customerTestClocks: options.customerTestClocks }),
    ...(options.dunningRetryDays !== undefined && { dunningRetryDays: options.dunningRetryDays }),
  });
  // Stripe delivers its webhooks over HTTP: the gateway also listens on a port for them.

  const restoreEnvironment = applyEnvironment(
    twinEnvironment({
      tableName,
      jwtSecretId,
      senderEmail: 'no-reply@carpark.test',
      webBaseUrl,
      stage: 'test',
      region: REGION,
      dynamoEndpoint,
      sesEndpoint: standins.sesEndpoint,
      secretsManagerEndpoint: standins.secretsManagerEndpoint,
    }),
  );
  const restoreIntegrationEnvironment = applyEnvironment(integrations.environment);

  const gateway = createGateway({
    routes: options.routes ?? manifestRoutes,
    authorizer: options.authorizer ?? manifestAuthorizer,
    functionsDir: options.functionsDir ?? path.join(ROOT, 'functions'),
    allowedOrigins: options.allowedOrigins ?? configuredAllowedOrigins(ROOT),
    ...(options.authorizerCacheTtlSeconds !== undefined && { authorizerCacheTtlSeconds: options.authorizerCacheTtlSeconds }),
  });

  const server = await serveGateway(gateway, {
    port: webPort,
    ...(options.web && {
      staticDir: options.web.staticDir,
      apiPathSegments: apiPathSegments((options.routes ?? manifestRoutes).map((route) => route.path)),
    }),
  });
  integrations.deliverStripeEventsTo(server.url);

  return {
    gateway,
    apiUrl: server.url,
    standins,
    outbox: standins.outbox,
    ses: standins.ses,
    tableName,
    documentClient,
    jwtSecretId,
    jwtSecret,
    webBaseUrl,
    integrations,
    request: (method, requestPath, init) => send(gateway, method, requestPath, init),
    async close() {
      await server.close();
      await integrations.close();
      restoreIntegrationEnvironment();
      restoreEnvironment();
      await standins.close();
      await dynamoClient.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      dynamoClient.destroy();
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}

async function send(gateway: Gateway, method: string, requestPath: string, init: RequestInit = {}): Promise<TwinResponse> {
  const headers: Record<string, string> = { host: '127.0.0.1:3000', 'user-agent': 'carpark-tests' };
  let body: string | Buffer | undefined;
  if (init.body !== undefined || init.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    body = init.rawBody ?? JSON.stringify(init.body);
  }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;

  const response = await gateway.handle({ method, path: requestPath, headers, ...(body !== undefined && { body }) });
  const text = typeof response.body === 'string' ? response.body : response.body.toString('utf8');
  const flatHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (name !== 'set-cookie') flatHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const setCookie = response.headers['set-cookie'];
  return {
    status: response.statusCode,
    headers: flatHeaders,
    cookies: setCookie === undefined ? [] : ([] as string[]).concat(setCookie),
    json: parseJson(text, flatHeaders['content-type']),
    text,
  };
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (!text || !/json/i.test(contentType ?? '')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
