/**
 * The EventBridge API over the local bus, spoken the way @aws-sdk/client-eventbridge speaks it
 * (awsJson1_1: `POST /`, `X-Amz-Target: AWSEvents.<Operation>`, timestamps as epoch seconds,
 * errors as `{ "__type", "message" }`). With `AWS_ENDPOINT_URL_EVENTBRIDGE` pointing here, handler
 * code using the real EventBridgeClient runs unchanged. Only PutEvents is served; any bus name is
 * accepted and lands on the one local bus.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../ports';
import type { LocalBus, PutEventsEntry } from './bus';

export interface EventBridgeApiOptions {
  readonly bus: LocalBus;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface EventBridgeApi {
  /** Base URL, for `AWS_ENDPOINT_URL_EVENTBRIDGE` or `new EventBridgeClient({ endpoint })`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

class ClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type JsonObject = Record<string, unknown>;

const TARGET_PREFIX = 'AWSEvents.';
const MAX_ENTRIES = 10;

export async function startEventBridgeApi({ bus, port = 0, host = '127.0.0.1' }: EventBridgeApiOptions): Promise<EventBridgeApi> {
  const operations: Record<string, (request: JsonObject) => JsonObject> = {
    PutEvents(request) {
      const entries = request.Entries;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
        throw new ClientError(
          'ValidationException',
          `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
        );
      }
      const result = bus.putEvents(entries.map(toEntry));
      return { FailedEntryCount: result.failed, Entries: result.entries };
    },
  };

  const server = http.createServer((request, response) => {
    readBody(request)
      .then((body) => answer(operations, String(request.headers['x-amz-target'] ?? ''), body))
      .catch((error: unknown) => failure(error))
      .then(({ statusCode, body }) => {
        const text = JSON.stringify(body);
        response.writeHead(statusCode, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
        });
        response.end(text);
      });
  });

  await listen(server, port, host);
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function toEntry(raw: unknown): PutEventsEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ClientError('SerializationException', 'Each entry must be a JSON object');
  }
  const entry = raw as JsonObject;
  const text = (field: string): string | undefined => {
    const value = entry[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new ClientError('SerializationException', `${field} must be a string`);
    return value;
  };
  const time = entry.Time;
  if (time !== undefined && time !== null && typeof time !== 'number') {
    throw new ClientError('SerializationException', 'Time must be a timestamp in epoch seconds');
  }
  const resources = entry.Resources;
  if (resources !== undefined && resources !== null && !(Array.isArray(resources) && resources.every((r) => typeof r === 'string'))) {
    throw new ClientError('SerializationException', 'Resources must be a list of strings');
  }
  const source = text('Source');
  const detailType = text('DetailType');
  const detail = text('Detail');
  const busName = text('EventBusName');
  return {
    ...(source !== undefined && { Source: source }),
    ...(detailType !== undefined && { DetailType: detailType }),
    ...(detail !== undefined && { Detail: detail }),
    ...(busName !== undefined && { EventBusName: busName }),
    ...(typeof time === 'number' && { Time: new Date(time * 1000) }),
    ...(Array.isArray(resources) && { Resources: resources as string[] }),
  };
}

function answer(
  operations: Record<string, (request: JsonObject) => JsonObject>,
  target: string,
  body: string,
): { statusCode: number; body: JsonObject } {
  const operation = target.startsWith(TARGET_PREFIX) ? operations[target.slice(TARGET_PREFIX.length)] : undefined;
  if (!operation) throw new ClientError('UnknownOperationException', `Operation not supported locally: ${target || '(no X-Amz-Target)'}`);
  let request: unknown;
  try {
    request = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    throw new ClientError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new ClientError('SerializationException', 'Request body must be a JSON object');
  }
  return { statusCode: 200, body: operation(request as JsonObject) };
}

function failure(error: unknown): { statusCode: number; body: JsonObject } {
  if (error instanceof ClientError) return { statusCode: 400, body: { __type: error.type, message: error.message } };
  console.error('EventBridge stand-in failed:', error);
  return { statusCode: 500, body: { __type: 'InternalException', message: String(error) } };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
