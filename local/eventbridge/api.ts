/**
 * The EventBridge API over the local bus, spoken the way @aws-sdk/client-eventbridge speaks it
 * (awsJson1_1: `POST /`, `X-Amz-Target: AWSEvents.<Operation>`, timestamps as epoch seconds,
 * errors as `{ "__type", "message" }`). With `AWS_ENDPOINT_URL_EVENTBRIDGE` pointing here, handler
 * code using the real EventBridgeClient runs unchanged. Only PutEvents is served; any bus name is
 * accepted and lands on the one local bus.
 */
import { AwsJsonError as ClientError, startAwsJsonApi } from '../aws-json-api';
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


type JsonObject = Record<string, unknown>;

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

  return startAwsJsonApi({
    name: 'EventBridge stand-in',
    jsonVersion: '1.1',
    targetPrefix: 'AWSEvents.',
    operations,
    internalErrorType: 'InternalException',
    port,
    host,
  });
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



