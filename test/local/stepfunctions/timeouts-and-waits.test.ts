import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimedWaitRequest, WaitRequest, WorkflowClock, WorkflowEngine } from '../../../local/stepfunctions/engine';
import { fixtureEngine, journal } from './fixtures/workflows';

let engine: WorkflowEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const HOUR_MS = 3_600_000;

describe('timeouts', () => {
  it('fails a task past its TimeoutSeconds with States.Timeout, which States.TaskFailed does not catch', async () => {
    engine = fixtureEngine();

    const { executionArn } = engine.start({ workflowId: 'task-timeout', input: {} });
    const execution = await engine.waitFor(executionArn, { timeoutMs: 10_000 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ failure: { Error: 'States.Timeout' } });
    const caughtBy = engine.history(executionArn).find((event) => event.type === 'StateCaught');
    expect(caughtBy?.stateName).toBe('OpenBarrier');
    expect(engine.history(executionArn).at(-2)?.stateName).toBe('TimedOut');
  });

  it("ends a task without TimeoutSeconds at the function's own timeout, as a task failure", async () => {
    engine = fixtureEngine({ lambdaTimeoutMs: 100 });

    const { executionArn } = engine.start({ workflowId: 'lambda-timeout', input: {} });
    const execution = await engine.waitFor(executionArn);

    const failure = (execution.output as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('Sandbox.Timedout');
    expect(JSON.parse(failure.Cause)).toMatchObject({ errorMessage: expect.stringMatching(/Task timed out after 0\.10 seconds/) });
  });

  it('times the whole execution out after the definition TimeoutSeconds', async () => {
    engine = fixtureEngine();

    const { executionArn } = engine.start({ workflowId: 'execution-timeout', input: {} });
    const execution = await engine.waitFor(executionArn, { timeoutMs: 10_000 });

    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(engine.history(executionArn).at(-1)?.type).toBe('ExecutionTimeout');
  });

  it('gives up waiting for an execution after timeoutMs, naming the state it is in', async () => {
    engine = fixtureEngine();
    const { executionArn } = engine.start({ workflowId: 'hang', input: {} });
    await vi.waitFor(() => expect(journal.callsTo('hang')).toHaveLength(1));

    await expect(engine.waitFor(executionArn, { timeoutMs: 50 })).rejects.toThrow(
      /still RUNNING after 50 ms \(last state entered: OpenBarrier\)/,
    );
  });
});

describe('Wait states', () => {
  const periodEndIn = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');

  it('waits for the overridden time instead of the nominal one', async () => {
    engine = fixtureEngine({ waitTimeOverrides: { waits: { GracePeriod: 0, UntilPeriodEnd: 10 } } });
    const input = { tenancyId: 't-1', periodEnd: periodEndIn(30 * 24 * HOUR_MS) };

    const { executionArn } = engine.start({ workflowId: 'waits', input });
    const execution = await engine.waitFor(executionArn);

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: input });
    const waits = engine.history(executionArn).filter((event) => event.type === 'StateEntered');
    expect(waits.map((event) => [event.stateName, event.stateType])).toEqual([
      ['GracePeriod', 'Wait'],
      ['UntilPeriodEnd', 'Wait'],
      ['Done', 'Succeed'],
    ]);
  });

  it('scales nominal waits, Seconds and TimestampPath alike, and tells a waitTime hook what AWS would wait', async () => {
    const requests: WaitRequest[] = [];
    engine = fixtureEngine({
      waitScale: 1 / 36_000, // an hour becomes 100 ms
      waitTime: (request) => {
        requests.push(request);
        return undefined;
      },
    });

    const startedAt = Date.now();
    const { executionArn } = engine.start({ workflowId: 'waits', input: { periodEnd: periodEndIn(HOUR_MS) } });
    const execution = await engine.waitFor(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    expect(requests.map((request) => request.stateName)).toEqual(['GracePeriod', 'UntilPeriodEnd']);
    expect(requests[0]?.nominalMs).toBe(HOUR_MS);
    expect(requests[1]?.nominalMs).toBeGreaterThan(HOUR_MS - 5_000);
    expect(requests[1]?.nominalMs).toBeLessThanOrEqual(HOUR_MS);
  });

  it('stays in a Wait state until a hand-advanced clock passes its end', async () => {
    const clock = manualClock(Date.parse('2025-01-31T12:00:00Z'));
    engine = fixtureEngine({ clock });
    const { executionArn } = engine.start({ workflowId: 'waits', input: { periodEnd: '2025-02-01T00:00:00Z' } });
    const inState = (name: string) =>
      vi.waitFor(() => expect(engine?.history(executionArn).findLast((e) => e.type === 'StateEntered')?.stateName).toBe(name));

    await inState('GracePeriod');
    clock.advance(HOUR_MS - 1);
    expect(clock.sleeping()).toBe(1);
    expect(engine.describe(executionArn).status).toBe('RUNNING');

    clock.advance(1);
    await inState('UntilPeriodEnd');
    clock.advance(11 * HOUR_MS);

    expect((await engine.waitFor(executionArn)).status).toBe('SUCCEEDED');
  });
});

describe('a waitUntil rule', () => {
  it('holds a timestamp wait until its promise resolves, told the instant named and the state input', async () => {
    const seen: TimedWaitRequest[] = [];
    let release: () => void = () => undefined;
    engine = fixtureEngine({
      waitTimeOverrides: { waits: { GracePeriod: 0 } },
      waitUntil: (wait) => {
        if (wait.target === undefined) return undefined; // Seconds waits: the other rules
        seen.push(wait);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const input = { customerId: 'cus_1', periodEnd: '2031-05-01T00:00:00Z' };
    const { executionArn } = engine.start({ workflowId: 'waits', input });

    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ stateName: 'UntilPeriodEnd', target: Date.parse('2031-05-01T00:00:00Z'), input });
    expect(engine.describe(executionArn).status).toBe('RUNNING');

    release();
    expect((await engine.waitFor(executionArn)).status).toBe('SUCCEEDED');
  });
});

/** A clock that only moves when told to: how the twin can fast-forward billing periods. */
function manualClock(startMs: number): WorkflowClock & { advance(ms: number): void; sleeping(): number } {
  let now = startMs;
  const sleepers = new Set<{ until: number; wake: () => void }>();
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise((resolve) => {
        const sleeper = { until: now + ms, wake: () => (sleepers.delete(sleeper), resolve()) };
        if (ms <= 0 || signal.aborted) return resolve();
        sleepers.add(sleeper);
        signal.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    sleeping: () => sleepers.size,
    advance(ms) {
      now += ms;
      for (const sleeper of [...sleepers]) if (sleeper.until <= now) sleeper.wake();
    },
  };
}
