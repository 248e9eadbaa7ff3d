import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEventBridgeApi, type EventBridgeApi } from '../../../local/eventbridge/api';
import { createLocalBus, type LocalBus } from '../../../local/eventbridge/bus';
import { journal } from './fixtures/functions/journal';
import { fixtureFunctionsDir, fixtureRules } from './fixtures/rules';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let bus: LocalBus;
let api: EventBridgeApi;
let client: EventBridgeClient;

beforeAll(async () => {
  bus = createLocalBus({ rules: fixtureRules, functionsDir: fixtureFunctionsDir, retry: { attempts: 2, intervalMs: 5 } });
  api = await startEventBridgeApi({ bus, port: 0, host: '127.0.0.1' });
  client = new EventBridgeClient({ endpoint: api.endpoint, region: 'eu-west-2', credentials });
});

afterAll(async () => {
  client.destroy();
  await api.close();
  await bus.close();
});

afterEach(() => journal.clear());

describe('the EventBridge API stand-in', () => {
  it('takes PutEvents from the real EventBridgeClient onto the local bus, which delivers it', async () => {
    const time = new Date('2025-04-01T08:30:00Z');
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'carpark-events',
            Source: 'carpark.stripe',
            DetailType: 'invoice.paid',
            Detail: JSON.stringify({ data: { object: { id: 'in_9', amount_paid: 4_200 } } }),
            Time: time,
            Resources: ['arn:local:invoice/in_9'],
          },
        ],
      }),
    );

    expect(answer.FailedEntryCount).toBe(0);
    const eventId = answer.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await bus.waitForIdle(5_000);
    const [received] = journal.receivedBy('recorder');
    expect(received?.event).toMatchObject({
      id: eventId,
      source: 'carpark.stripe',
      time: '2025-04-01T08:30:00Z',
      resources: ['arn:local:invoice/in_9'],
      detail: { data: { object: { id: 'in_9' } } },
    });
  });

  it('reports rejected entries per entry, as PutEvents does', async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'carpark.stripe', DetailType: 'invoice.created', Detail: '{"ok":true}' },
          { Source: 'carpark.stripe', DetailType: 'invoice.created', Detail: 'not json' },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]?.EventId).toBeDefined();
    expect(answer.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  });

  it('answers more than ten entries with a ValidationException', async () => {
    const entry = { Source: 'carpark.stripe', DetailType: 'x', Detail: '{}' };
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers an unknown operation with an AWS JSON error', async () => {
    const response = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: 'Operation not supported locally: AWSEvents.ListRules' });
  });

  it('works through AWS_ENDPOINT_URL_EVENTBRIDGE, as handler code configures its client', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = api.endpoint;
    const fromEnvironment = new EventBridgeClient({ region: 'eu-west-2', credentials });
    try {
      const answer = await fromEnvironment.send(
        new PutEventsCommand({ Entries: [{ Source: 'carpark.stripe', DetailType: 'invoice.paid', Detail: '{"data":{"object":{"amount_paid":1}}}' }] }),
      );
      expect(answer.FailedEntryCount).toBe(0);
      await bus.waitForIdle(5_000);
      expect(journal.receivedBy('recorder').map((call) => call.event.id)).toEqual([answer.Entries?.[0]?.EventId]);
    } finally {
      fromEnvironment.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
      else process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = previous;
    }
  });
});
