/**
 * The skeleton of an AWS JSON-protocol API (awsJson1_0 / 1_1: `POST /`, `X-Amz-Target:
 * <Prefix>.<Operation>`, JSON bodies, errors as `{ "__type", "message" }`), shared by the twin's
 * stand-ins for Step Functions and EventBridge so real SDK clients talk to them unchanged.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from './ports';

type JsonObject = Record<string, unknown>;

/** A client error, answered 400 with its AWS error code. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsJsonApiOptions<Request = JsonObject> {
  /** For the log line of an unexpected failure, e.g. "Step Functions stand-in". */
  readonly name: string;
  readonly jsonVersion: '1.0' | '1.1';
  /** e.g. `AWSStepFunctions.` */
  readonly targetPrefix: string;
  /** Each operation gets the parsed request object (the caller's JSON type) and returns the answer. */
  readonly operations: Record<string, (request: Request) => unknown>;
  /** The code of a 500 answer (services name it differently). */
  readonly internalErrorType: string;
  /** Turns a service's own error class into a client error. */
  readonly clientError?: (error: unknown) => AwsJsonError | undefined;
  readonly port?: number;
  readonly host?: string;
}

export async function startAwsJsonApi<Request>(options: AwsJsonApiOptions<Request>): Promise<{ endpoint: string; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((request, response) => {
    readBody(request)
      .then((body) => answer(options, String(request.headers['x-amz-target'] ?? ''), body))
      .catch((error: unknown) => failure(options, error))
      .then(({ statusCode, body }) => {
        const text = JSON.stringify(body);
        response.writeHead(statusCode, {
          'content-type': `application/x-amz-json-${options.jsonVersion}`,
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
        });
        response.end(text);
      });
  });

  await listen(server, options.port ?? 0, host);
  return {
    endpoint: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function answer<Request>(options: AwsJsonApiOptions<Request>, target: string, body: string): { statusCode: number; body: unknown } {
  const { targetPrefix, operations } = options;
  const operation = target.startsWith(targetPrefix) ? operations[target.slice(targetPrefix.length)] : undefined;
  if (!operation) throw new AwsJsonError('UnknownOperationException', `Operation not supported locally: ${target || '(no X-Amz-Target)'}`);
  let request: unknown;
  try {
    request = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    throw new AwsJsonError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new AwsJsonError('SerializationException', 'Request body must be a JSON object');
  }
  return { statusCode: 200, body: operation(request as Request) };
}

function failure<Request>(options: AwsJsonApiOptions<Request>, error: unknown): { statusCode: number; body: unknown } {
  const known = error instanceof AwsJsonError ? error : options.clientError?.(error);
  if (known) return { statusCode: 400, body: { __type: known.type, message: known.message } };
  console.error(`${options.name} failed:`, error);
  return { statusCode: 500, body: { __type: options.internalErrorType, message: String(error) } };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
