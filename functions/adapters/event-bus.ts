import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENV, requireEnv } from '../environment';

let client: EventBridgeClient | undefined;

/** Puts one event on the platform's bus; throws if EventBridge did not take it. */
export async function putEvent(source: string, detailType: string, detail: string): Promise<string> {
  client ??= new EventBridgeClient({});
  const out = await client.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: requireEnv(ENV.eventBusName), Source: source, DetailType: detailType, Detail: detail }],
    }),
  );
  const entry = out.Entries?.[0];
  if (out.FailedEntryCount || !entry?.EventId) throw new Error(`EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'}`);
  return entry.EventId;
}
