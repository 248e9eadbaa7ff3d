import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLocalBus, type LocalBus, type PutEventsEntry } from '../../../local/eventbridge/bus';
import { journal, targetSwitch } from './fixtures/functions/journal';
import { fixtureFunctionsDir, fixtureRules } from './fixtures/rules';

let bus: LocalBus;

beforeEach(() => {
  journal.clear();
  bus = createLocalBus({ rules: fixtureRules, functionsDir: fixtureFunctionsDir, retry: { attempts: 3, intervalMs: 5 } });
});

afterEach(async () => {
  await bus.close();
});

const stripeEvent = (type: string, object: Record<string, unknown>, source = 'carpark.stripe'): PutEventsEntry => ({
  Source: source,
  DetailType: type,
  Detail: JSON.stringify({ id: `evt_${type}`, type, data: { object } }),
});

describe('the local event bus', () => {
  it('delivers an event to the target of a matching rule, shaped as EventBridge delivers it', async () => {
    const time = new Date('2025-03-01T12:00:00.000Z');
    const { eventIds, failed } = bus.putEvents([{ ...stripeEvent('invoice.paid', { id: 'in_1', amount_paid: 9_900 }), Time: time }]);
    expect(failed).toBe(0);

    const [received] = await vi.waitFor(() => {
      const calls = journal.receivedBy('recorder');
      if (calls.length === 0) throw new Error('the recorder has not been called yet');
      return calls;
    });
    expect(received?.functionName).toBe('PaidInvoices');
    expect(received?.event).toEqual({
      version: '0',
      id: eventIds[0],
      'detail-type': 'invoice.paid',
      source: 'carpark.stripe',
      account: '000000000000',
      time: '2025-03-01T12:00:00Z',
      region: 'local',
      resources: [],
      detail: { id: 'evt_invoice.paid', type: 'invoice.paid', data: { object: { id: 'in_1', amount_paid: 9_900 } } },
    });
    await bus.waitForIdle(5_000);
    expect(bus.deliveries()).toMatchObject([{ eventId: eventIds[0], ruleId: 'PaidInvoices', attempt: 1, outcome: 'succeeded' }]);
  });

  it('delivers events from Stripe’s partner source to the same rule', async () => {
    bus.putEvents([stripeEvent('invoice.paid', { amount_paid: 1 }, 'aws.partner/stripe.com/ed_test_1')]);
    await bus.waitForIdle(5_000);
    expect(journal.receivedBy('recorder')).toHaveLength(1);
  });

  it('does not deliver events no rule matches, but archives them', async () => {
    const { eventIds } = bus.putEvents([
      stripeEvent('invoice.paid', { amount_paid: 0 }),
      stripeEvent('invoice.created', { amount_paid: 500 }),
      stripeEvent('invoice.paid', { amount_paid: 500 }, 'carpark.other'),
    ]);
    await bus.waitForIdle(5_000);
    expect(journal.receivedBy('recorder')).toEqual([]);
    expect(bus.deliveries()).toEqual([]);
    expect(bus.archive().map((event) => event.id)).toEqual(eventIds);
  });

  it('rejects entries without a source or with a detail that is not a JSON object, and keeps the rest', () => {
    const result = bus.putEvents([
      { DetailType: 'invoice.paid', Detail: '{}' },
      { Source: 'carpark.stripe', DetailType: 'invoice.paid', Detail: 'not json' },
      { Source: 'carpark.stripe', DetailType: 'invoice.paid', Detail: '[1]' },
      stripeEvent('invoice.created', {}),
    ]);
    expect(result.failed).toBe(3);
    expect(result.eventIds).toHaveLength(1);
    expect(result.entries).toMatchObject([
      { ErrorCode: 'InvalidArgument' },
      { ErrorCode: 'MalformedDetail' },
      { ErrorCode: 'MalformedDetail' },
      { EventId: result.eventIds[0] },
    ]);
  });

  it('returns from putEvents before the target runs', () => {
    bus.putEvents([stripeEvent('invoice.paid', { amount_paid: 100 })]);
    expect(journal.receivedBy('recorder')).toEqual([]);
  });

  it('retries a failing target, dead-letters the event, and a replay after the fix delivers it', async () => {
    targetSwitch.failing = true;
    const { eventIds } = bus.putEvents([stripeEvent('invoice.payment_failed', { id: 'in_2' })]);
    const eventId = eventIds[0]!;
    await bus.waitForIdle(5_000);

    expect(journal.receivedBy('switchable')).toHaveLength(3);
    expect(bus.deliveries().map((delivery) => [delivery.attempt, delivery.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const [deadLetter, ...others] = bus.deadLetters();
    expect(others).toEqual([]);
    expect(deadLetter).toMatchObject({
      ruleId: 'FailedPayments',
      attempts: 3,
      event: { id: eventId },
      error: { errorType: 'PaymentLedgerUnavailable', errorMessage: `ledger down for ${eventId}` },
    });

    targetSwitch.failing = false;
    const { replayName, events } = bus.replay([eventId]);
    expect(events).toBe(1);
    await bus.waitForIdle(5_000);

    const calls = journal.receivedBy('switchable');
    expect(calls).toHaveLength(4);
    expect(calls[3]?.event).toMatchObject({ id: eventId, 'replay-name': replayName, detail: { data: { object: { id: 'in_2' } } } });
    expect(bus.deliveries().at(-1)).toMatchObject({ eventId, outcome: 'succeeded', attempt: 1, replayName });
    expect(bus.deadLetters()).toHaveLength(1);
  });

  it('replays the archived events a predicate selects through the rules again', async () => {
    bus.putEvents([stripeEvent('invoice.paid', { amount_paid: 1 }), stripeEvent('invoice.created', {})]);
    await bus.waitForIdle(5_000);
    const { events } = bus.replay((event) => event['detail-type'].startsWith('invoice.'));
    expect(events).toBe(2);
    await bus.waitForIdle(5_000);
    expect(journal.receivedBy('recorder')).toHaveLength(2);
  });

  it('refuses a rule whose handler module does not exist or whose pattern is invalid', () => {
    const [rule] = fixtureRules;
    const build = (overrides: object) =>
      createLocalBus({ rules: [{ ...rule!, ...overrides }], functionsDir: fixtureFunctionsDir, retry: { attempts: 1, intervalMs: 0 } });
    expect(() => build({ target: { handler: 'missing.ts', access: {} } })).toThrow(/does not exist/);
    expect(() => build({ pattern: { source: 'carpark.stripe' } })).toThrow(/must be an object or an array/);
  });
});
