/**
 * One local HTTP server standing in for the AWS services handlers call besides DynamoDB:
 *
 * - `POST {endpoint}/ses`: SES v1 (SendEmail, SendRawEmail); mail goes to the outbox directory.
 * - `POST {endpoint}/secretsmanager`: Secrets Manager GetSecretValue, from an in-memory map.
 * - `GET  {endpoint}/outbox`: the console page listing the outbox (`/outbox.json` for JSON).
 *
 * The SDK keeps an endpoint's base path, so `AWS_ENDPOINT_URL_SES={endpoint}/ses` and
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER={endpoint}/secretsmanager` point real clients here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from './ports';
import { outboxConsole } from './standins/outbox-console';
import { createOutbox, type Outbox } from './standins/outbox';
import { createSecretsManagerStandin, type SecretsControls } from './standins/secrets-manager';
import { createSesStandin, type SesControls } from './standins/ses';

export type { OutboxMessage, Outbox } from './standins/outbox';
export { SES_FAULTS, type SesFault } from './standins/ses';

export interface AwsStandinsOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly outboxDir: string;
  /** Secret name → SecretString. */
  readonly secrets: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
}

export interface AwsStandins {
  /** Base URL; the console lives at `${endpoint}/outbox`. */
  readonly endpoint: string;
  readonly sesEndpoint: string;
  readonly secretsManagerEndpoint: string;
  readonly outbox: Pick<Outbox, 'list' | 'waitFor' | 'get' | 'dir'>;
  readonly ses: SesControls;
  readonly secrets: SecretsControls;
  close(): Promise<void>;
}

export async function startAwsStandins(options: AwsStandinsOptions): Promise<AwsStandins> {
  const host = options.host ?? '127.0.0.1';
  const outbox = createOutbox(options.outboxDir);
  const ses = createSesStandin(outbox);
  const secrets = createSecretsManagerStandin(options.secrets, {
    region: options.region ?? process.env.AWS_REGION ?? 'eu-west-2',
    accountId: options.accountId ?? '000000000000',
  });

  const server = http.createServer((request, response) => {
    route(request)
      .then(({ statusCode, headers, body }) => {
        response.writeHead(statusCode, { ...headers, 'content-length': Buffer.byteLength(body) });
        response.end(body);
      })
      .catch((error: unknown) => {
        console.error('AWS stand-in failed:', error);
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });

  async function route(request: http.IncomingMessage): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
    const path = (request.url ?? '/').split('?')[0]?.replace(/\/$/, '') ?? '';
    if (request.method === 'POST' && path === '/ses') {
      const { statusCode, body } = await ses.handle(await readText(request));
      return { statusCode, headers: { 'content-type': 'text/xml' }, body };
    }
    if (request.method === 'POST' && path === '/secretsmanager') {
      return secrets.handle(String(request.headers['x-amz-target'] ?? ''), await readText(request));
    }
    if (request.method === 'GET') {
      const page = await outboxConsole(outbox, path || '/');
      if (page) return page;
    }
    return { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: `Nothing here: ${request.method} ${request.url}` };
  }

  await listen(server, options.port, host);
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    sesEndpoint: `${endpoint}/ses`,
    secretsManagerEndpoint: `${endpoint}/secretsmanager`,
    outbox,
    ses,
    secrets,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readText(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
