import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLambdaArn } from '../../../local/stepfunctions/definition';
import { createWorkflowEngine, type WorkflowEngine } from '../../../local/stepfunctions/engine';
import { FUNCTIONS_DIR, STATE_MACHINES_DIR, fixtureEngine, journal } from './fixtures/workflows';

let engine: WorkflowEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function start(workflowId: string, input: Record<string, unknown>, name?: string) {
  if (!engine) throw new Error('no engine');
  return engine.start({ workflowId, input: input as never, ...(name && { name }) });
}

describe('running a workflow', () => {
  it('runs Task → Choice → Succeed and returns the task result at its ResultPath', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('reserve', { carParkId: 'CP1', spaces: 3 });
    const execution = await engine.waitFor(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ carParkId: 'CP1', spaces: 3, reservation: { carParkId: 'CP1', reserved: true } });
    expect(journal.callsTo('reserve-space')).toEqual([{ carParkId: 'CP1', spaces: 3 }]);
    const entered = engine.history(executionArn).filter((event) => event.type === 'StateEntered');
    expect(entered.map((event) => [event.stateName, event.stateType])).toEqual([
      ['ReserveSpace', 'Task'],
      ['IsReserved', 'Choice'],
      ['Reserved', 'Succeed'],
    ]);
  });

  it('fails with the Fail state error and cause when the Choice takes the default', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('reserve', { carParkId: 'CP1', spaces: 0 });
    const execution = await engine.waitFor(executionArn);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'CarParkFull', cause: 'No space left' });
    expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate.getTime());
  });

  it('counts one state transition per state entered', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('reserve', { carParkId: 'CP1' });

    expect((await engine.waitFor(executionArn)).stateTransitions).toBe(3);
  });
});

describe('errors from task functions', () => {
  it('routes a named error to the compensation state, with the Lambda error payload as the cause', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('compensate', { plate: 'BARRIER-DOWN', carParkId: 'CP7' });
    const execution = await engine.waitFor(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ released: true });
    const [compensationInput] = journal.callsTo('release-space') as [{ failure: { Error: string; Cause: string } }];
    expect(compensationInput.failure.Error).toBe('BarrierUnavailable');
    expect(JSON.parse(compensationInput.failure.Cause)).toMatchObject({
      errorType: 'BarrierUnavailable',
      errorMessage: 'Barrier at CP7 did not answer',
    });
  });

  it('sends any other error to the States.ALL catcher', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('compensate', { plate: 'CRASH', carParkId: 'CP7' });
    const execution = await engine.waitFor(executionArn);

    expect(execution.output).toMatchObject({ outcome: 'unexpected', failure: { Error: 'TypeError' } });
    expect(journal.callsTo('release-space')).toEqual([]);
  });

  it('retries a failing task with the overridden interval and succeeds', async () => {
    engine = fixtureEngine({ retryIntervalOverrides: { retry: { RegisterPlate: 5 } } });

    const startedAt = Date.now();
    const { executionArn } = start('retry', { plate: 'AB12CDE', failures: 2 });
    const execution = await engine.waitFor(executionArn);

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { plate: 'AB12CDE', attempts: 3 } });
    expect(Date.now() - startedAt).toBeLessThan(5_000); // nominal backoff: 30 s + 60 s
    const retries = engine.history(executionArn).filter((event) => event.type === 'StateRetried');
    expect(retries.map((event) => event.retryAttempt)).toEqual([1, 2]);
    expect(execution.stateTransitions).toBe(3); // one state entered, plus each retry
  });

  it('fails the execution with the task error once MaxAttempts retries are spent', async () => {
    engine = fixtureEngine({ retryIntervalMs: 1 });

    const { executionArn } = start('retry', { plate: 'AB12CDE', failures: 10 });
    const execution = await engine.waitFor(executionArn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('BarrierUnavailable');
    expect(JSON.parse(execution.cause ?? '')).toMatchObject({ errorType: 'BarrierUnavailable' });
    expect(journal.callsTo('flaky-barrier')).toHaveLength(4); // the attempt and three retries
  });
});

describe('Parallel and Map', () => {
  it('runs every branch and every item, and counts their states as transitions', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('fan-out', { carParkId: 'CP2', plates: ['A1', 'B2', 'C3'] });
    const execution = await engine.waitFor(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({
      prepared: [{ carParkId: 'CP2', reserved: true }, { released: true }],
      registered: [
        { plate: 'A1', registered: true },
        { plate: 'B2', registered: true },
        { plate: 'C3', registered: true },
      ],
    });
    expect(journal.callsTo('register-plate')).toHaveLength(3);
    // Prepare + its two branch tasks + RegisterPlates + three RegisterPlate iterations.
    expect(execution.stateTransitions).toBe(7);
  });
});

describe('execution names (Standard workflows)', () => {
  it('treats a second start with the same name and input as the same execution while it runs', async () => {
    engine = fixtureEngine();

    const first = start('hang', { plate: 'AB12CDE' }, 'tenancy-42');
    const second = start('hang', { plate: 'AB12CDE' }, 'tenancy-42');

    expect(second).toEqual(first);
    await vi.waitFor(() => expect(journal.callsTo('hang')).toHaveLength(1));
    expect(engine.list('hang')).toHaveLength(1);
  });

  it('rejects the same name with a different input', () => {
    engine = fixtureEngine();

    start('hang', { plate: 'AB12CDE' }, 'tenancy-42');

    expect(() => start('hang', { plate: 'ZZ99ZZZ' }, 'tenancy-42')).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
  });

  it('rejects reusing the name of a finished execution, whatever the input', async () => {
    engine = fixtureEngine();

    const { executionArn } = start('reserve', { carParkId: 'CP1' }, 'tenancy-43');
    await engine.waitFor(executionArn);

    expect(() => start('reserve', { carParkId: 'CP1' }, 'tenancy-43')).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
    expect(journal.callsTo('reserve-space')).toHaveLength(1);
  });

  it('rejects names Step Functions rejects', () => {
    engine = fixtureEngine();

    for (const name of ['has space', 'a/b', 'x'.repeat(81), 'tab\there']) {
      expect(() => start('reserve', {}, name)).toThrow(expect.objectContaining({ code: 'InvalidName' }));
    }
  });

  it('lets the same name be used by another state machine', async () => {
    engine = fixtureEngine();

    const a = start('reserve', { carParkId: 'CP1' }, 'same-name');
    const b = start('compensate', { plate: 'A1', carParkId: 'CP1' }, 'same-name');

    expect(a.executionArn).not.toBe(b.executionArn);
    expect((await engine.waitFor(b.executionArn)).status).toBe('SUCCEEDED');
  });
});

describe('stopping and listing', () => {
  it('stops a running execution and records why', async () => {
    engine = fixtureEngine();
    const { executionArn } = start('hang', { plate: 'AB12CDE' });
    await vi.waitFor(() => expect(journal.callsTo('hang')).toHaveLength(1));

    engine.stop(executionArn, { error: 'TenancyCancelled', cause: 'cancelled by the tenant' });
    const execution = await engine.waitFor(executionArn);

    expect(execution).toMatchObject({ status: 'ABORTED', error: 'TenancyCancelled', cause: 'cancelled by the tenant' });
    expect(engine.history(executionArn).at(-1)?.type).toBe('ExecutionAborted');
  });

  it('does not retry a task once its execution is stopped', async () => {
    engine = fixtureEngine({ retryIntervalOverrides: { retry: { RegisterPlate: 60_000 } } });
    const { executionArn } = start('retry', { plate: 'AB12CDE', failures: 10 });
    await vi.waitFor(() => expect(journal.callsTo('flaky-barrier')).toHaveLength(1));

    engine.stop(executionArn);
    await engine.waitFor(executionArn);
    await new Promise((resolve) => setImmediate(resolve)); // let the library's pending retry run, if any

    expect(journal.callsTo('flaky-barrier')).toHaveLength(1);
  });

  it('lists executions newest first, filtered by status', async () => {
    engine = fixtureEngine();
    const done = start('reserve', { carParkId: 'CP1' }, 'first');
    await engine.waitFor(done.executionArn);
    start('reserve', { carParkId: 'CP1', spaces: 0 }, 'second');
    await engine.waitFor(engine.list('reserve')[0]?.executionArn ?? '');

    expect(engine.list('reserve').map((execution) => execution.name)).toEqual(['second', 'first']);
    expect(engine.list('reserve', 'FAILED').map((execution) => execution.name)).toEqual(['second']);
    expect(() => engine?.list('no-such-workflow')).toThrow(expect.objectContaining({ code: 'StateMachineDoesNotExist' }));
  });

  it('aborts running executions on close', async () => {
    engine = fixtureEngine();
    const { executionArn } = start('hang', {});

    await engine.close();

    expect(engine.describe(executionArn).status).toBe('ABORTED');
    expect(() => start('hang', {})).toThrow(/closed/);
  });
});

describe('loading definitions', () => {
  const base = { stateMachinesDir: STATE_MACHINES_DIR, functionsDir: FUNCTIONS_DIR, log: () => {} };

  it('applies substitutions that are not task functions', async () => {
    engine = createWorkflowEngine({
      ...base,
      workflows: [{ id: 'greeting', definitionFile: 'greeting.asl.json', tasks: {}, arnEnv: 'GREETING_ARN' }],
      substitutions: { Greeting: 'hello' },
    });

    const { executionArn } = engine.start({ workflowId: 'greeting' });

    expect((await engine.waitFor(executionArn)).output).toBe('hello');
  });

  it('names a substitution nobody gave a value for', () => {
    const workflows = [{ id: 'greeting', definitionFile: 'greeting.asl.json', tasks: {}, arnEnv: 'GREETING_ARN' }];

    expect(() => createWorkflowEngine({ ...base, workflows })).toThrow(/no value for \$\{Greeting\}/);
  });

  it('reports what the validator found in an invalid definition', () => {
    const workflows = [{ id: 'invalid', definitionFile: 'invalid.asl.json', tasks: {}, arnEnv: 'INVALID_ARN' }];

    expect(() => createWorkflowEngine({ ...base, workflows })).toThrow(/not a valid state machine definition[\s\S]*NoSuchState/);
  });

  it('refuses a Task whose resource is not one of the workflow task functions', () => {
    const workflows = [{ id: 'reserve', definitionFile: 'reserve.asl.json', tasks: {}, arnEnv: 'RESERVE_ARN' }];
    const substitutions = { ReserveSpaceFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:elsewhere' };

    expect(() => createWorkflowEngine({ ...base, workflows, substitutions })).toThrow(
      /Task state "ReserveSpace" has Resource "arn:aws:lambda:eu-west-2:123456789012:function:elsewhere"/,
    );
  });

  it('refuses a task function whose handler module does not exist', () => {
    const tasks = { ReserveSpaceFunctionArn: { handler: 'missing.ts', access: {} } };
    const workflows = [{ id: 'reserve', definitionFile: 'reserve.asl.json', tasks, arnEnv: 'RESERVE_ARN' }];

    expect(() => createWorkflowEngine({ ...base, workflows })).toThrow(/missing\.ts does not exist/);
  });

  it('fails the task with Runtime.HandlerNotFound when the module exports no handler', async () => {
    const tasks = { ReserveSpaceFunctionArn: { handler: 'no-handler.ts', access: {} } };
    engine = createWorkflowEngine({
      ...base,
      workflows: [{ id: 'reserve', definitionFile: 'reserve.asl.json', tasks, arnEnv: 'RESERVE_ARN' }],
    });

    const { executionArn } = engine.start({ workflowId: 'reserve' });

    expect(await engine.waitFor(executionArn)).toMatchObject({ status: 'FAILED', error: 'Runtime.HandlerNotFound' });
  });

  it('binds task keys to local function ARNs', () => {
    expect(fakeLambdaArn('ReserveSpaceFunctionArn')).toBe(
      'arn:aws:lambda:eu-west-2:000000000000:function:ReserveSpaceFunctionArn',
    );
  });
});
