import type * as EventBridge from '@aws-sdk/client-eventbridge';
import { ENV, requireEnv } from '../environment';

// Loaded on the first event put, not at cold start.
let eventBridge: Promise<{ sdk: typeof EventBridge; client: EventBridge.EventBridgeClient }> | undefined;
const loadEventBridge = () =>
  (eventBridge ??= import('@aws-sdk/client-eventbridge').then((sdk) => ({ sdk, client: new sdk.EventBridgeClient({}) })));

/** Puts one event on the platform's bus; throws if EventBridge did not take it. */
export async function putEvent(source: string, detailType: string, detail: string): Promise<string> {
  const { sdk, client } = await loadEventBridge();
  const out = await client.send(
    new sdk.PutEventsCommand({
      Entries: [{ EventBusName: requireEnv(ENV.eventBusName), Source: source, DetailType: detailType, Detail: detail }],
    }),
  );
  const entry = out.Entries?.[0];
  if (out.FailedEntryCount || !entry?.EventId) throw new Error(`EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'}`);
  return entry.EventId;
}
