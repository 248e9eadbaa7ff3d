/**
 * The offline twin as `npm start` runs it — AWS stand-ins, the Stripe, SmartParking and Step
 * Functions stand-ins, a fresh table, the demo data, every handler behind the gateway on a real
 * port — but on a DynamoDB Local the bench started, with free ports and throwaway state. Runs
 * inside a worker process: the handlers' configuration is this process's environment.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../../../functions/adapters/dynamodb/table-schema';
import { authorizer, routes } from '../../../functions/routes';
import { functionsDir, repoRoot } from '../../../lib/paths';
import { startAwsStandins, type AwsStandins } from '../../../local/aws-standins';
import { ensureTable } from '../../../local/dynamodb';
import { integrationSecrets, startIntegrations, type Integrations } from '../../../local/integrations';
import { createGateway, type GatewayRequest } from '../../../local/gateway';
import { apiPathSegments, serveGateway } from '../../../local/http-server';
import { findFreePort } from '../../../local/ports';
import { applyEnvironment, configuredAllowedOrigins, twinEnvironment } from '../../../local/twin-environment';

export const HOST = '127.0.0.1';
export const REGION = 'eu-west-2';

export interface BenchTwinOptions {
  /** The DynamoDB Local the bench started. */
  readonly dynamoEndpoint: string;
  /** Where the handlers send DynamoDB requests (a counting proxy); dynamoEndpoint by default. */
  readonly handlerDynamoEndpoint?: string;
  /** Serve this built site beside the API, as `npm start` serves the portal. */
  readonly staticDir?: string;
  /** Runs around the handling of every API request (to mark its async context). */
  readonly aroundRequest?: <T>(handle: () => Promise<T>) => Promise<T>;
}

export interface BenchTwin {
  readonly url: string;
  readonly tableName: string;
  readonly standins: AwsStandins;
  readonly integrations: Integrations;
  /** What Stripe signs webhook deliveries with (the value of the twin's webhook secret). */
  readonly stripeWebhookSecret: string;
  readonly logins: readonly { role: string; email: string; password: string }[];
  close(): Promise<void>;
}

export async function startBenchTwin(options: BenchTwinOptions): Promise<BenchTwin> {
  const suffix = randomUUID().slice(0, 8);
  const tableName = `carpark-bench-${suffix}`;
  const jwtSecretId = `carpark-tenancy/bench/jwt-signing-key-${suffix}`;
  const outboxDir = await mkdtemp(path.join(tmpdir(), 'carpark-bench-outbox-'));
  const closers: (() => Promise<unknown>)[] = [() => rm(outboxDir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };

  try {
    const secrets = integrationSecrets(`carpark-tenancy/bench/${suffix}`);
    const standins = await startAwsStandins({
      port: 0,
      outboxDir,
      secrets: { [jwtSecretId]: randomBytes(48).toString('base64url'), ...secrets.values },
      region: REGION,
    });
    closers.push(() => standins.close());
    // Waits pass at once, so a workflow a request starts finishes within the bench's run.
    const integrations = await startIntegrations({ rootDir: repoRoot, secrets, host: HOST, waitScale: 0, retryIntervalMs: 5 });
    closers.push(() => integrations.close());

    // The API's URL goes into reset emails, so pick the port before the handlers read it.
    const port = await findFreePort(HOST);
    const url = `http://${HOST}:${port}`;
    applyEnvironment(
      twinEnvironment({
        tableName,
        jwtSecretId,
        senderEmail: 'no-reply@carpark.bench',
        webBaseUrl: url,
        stage: 'bench',
        region: REGION,
        dynamoEndpoint: options.handlerDynamoEndpoint ?? options.dynamoEndpoint,
        sesEndpoint: standins.sesEndpoint,
        secretsManagerEndpoint: standins.secretsManagerEndpoint,
      }),
    );
    applyEnvironment(integrations.environment);

    // Straight to DynamoDB Local: creating the table is not a request's work.
    const admin = new DynamoDBClient({
      endpoint: options.dynamoEndpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(admin, tableName, tableSchema);
    admin.destroy();

    // Loaded only now, after the environment is set, as local/start.ts does.
    const { seedDemoData } = await import('../../../local/seed');
    const { logins } = await seedDemoData();

    const gateway = createGateway({ routes, authorizer, functionsDir, allowedOrigins: configuredAllowedOrigins(repoRoot) });
    const { failed } = await gateway.preload();
    if (failed.length > 0) throw new Error(`Handlers failed to load: ${failed.map((f) => f.module).join(', ')}`);
    const { aroundRequest } = options;
    const served = aroundRequest ? { ...gateway, handle: (request: GatewayRequest) => aroundRequest(() => gateway.handle(request)) } : gateway;
    const server = await serveGateway(served, {
      port,
      host: HOST,
      ...(options.staticDir && { staticDir: options.staticDir, apiPathSegments: apiPathSegments(routes.map((route) => route.path)) }),
    });
    closers.push(() => server.close());

    const stripeWebhookSecret = secrets.values[secrets.stripeWebhookSecretId]!;
    return { url: server.url, tableName, standins, integrations, stripeWebhookSecret, logins, close };
  } catch (error) {
    await close();
    throw error;
  }
}
