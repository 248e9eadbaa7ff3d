import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkflowEngine } from '../../../local/stepfunctions/engine';
import { startSfnApi, stateMachineArnFor, type SfnApi } from '../../../local/stepfunctions/sfn-api';
import { fixtureEngine, journal } from './fixtures/workflows';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let engine: WorkflowEngine;
let api: SfnApi;
let sfn: SFNClient;

beforeAll(async () => {
  engine = fixtureEngine();
  api = await startSfnApi({ engine, port: 0 });
  sfn = new SFNClient({ endpoint: api.endpoint, region: 'eu-west-2', credentials });
});

afterAll(async () => {
  sfn.destroy();
  await api.close();
  await engine.close();
});

afterEach(() => journal.clear());

async function describeWhenDone(executionArn: string) {
  return vi.waitFor(
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === 'RUNNING') throw new Error(`${executionArn} is still running`);
      return execution;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe('the Step Functions API stand-in', () => {
  it('starts an execution and describes it to the real SFNClient', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArnFor('reserve'),
        name: 'tenancy-100',
        input: JSON.stringify({ carParkId: 'CP1', spaces: 2 }),
      }),
    );

    const execution = await describeWhenDone(started.executionArn ?? '');

    expect(started.executionArn).toBe('arn:aws:states:eu-west-2:000000000000:execution:reserve:tenancy-100');
    expect(started.startDate).toBeInstanceOf(Date);
    expect(execution).toMatchObject({
      status: 'SUCCEEDED',
      name: 'tenancy-100',
      stateMachineArn: stateMachineArnFor('reserve'),
    });
    expect(JSON.parse(execution.input ?? '')).toEqual({ carParkId: 'CP1', spaces: 2 });
    expect(JSON.parse(execution.output ?? '')).toMatchObject({ reservation: { reserved: true } });
    expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate?.getTime() ?? Infinity);
  });

  it('reports a failed execution with its error and cause', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('reserve'), input: '{"carParkId":"CP1","spaces":0}' }),
    );

    expect(await describeWhenDone(executionArn ?? '')).toMatchObject({
      status: 'FAILED',
      error: 'CarParkFull',
      cause: 'No space left',
    });
  });

  it('answers with the error classes the SDK knows', async () => {
    const start = (name: string, input: object, stateMachineArn = stateMachineArnFor('hang')) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    await start('tenancy-200', { plate: 'A1' });

    await expect(start('tenancy-200', { plate: 'A1' })).resolves.toMatchObject({ executionArn: expect.any(String) });
    await expect(start('tenancy-200', { plate: 'B2' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(start('bad name', {})).rejects.toBeInstanceOf(InvalidName);
    await expect(start('x', {}, stateMachineArnFor('no-such-workflow'))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:eu-west-2:000000000000:execution:hang:nope' })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('hang'), input: '{not json' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });

  it('stops an execution and lists it as aborted', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('hang'), name: 'tenancy-300', input: '{}' }),
    );

    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by tenant' }));
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArnFor('hang'), statusFilter: 'ABORTED' }),
    );

    expect(stopDate).toBeInstanceOf(Date);
    expect(aborted.executions?.map((execution) => execution.name)).toContain('tenancy-300');
    expect(await describeWhenDone(executionArn ?? '')).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
  });

  it('pages ListExecutions', async () => {
    for (const name of ['page-1', 'page-2', 'page-3']) {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('reserve'), name, input: '{"carParkId":"C"}' }));
    }

    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArnFor('reserve'), maxResults: 2 }));
    const rest = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArnFor('reserve'), maxResults: 2, nextToken: first.nextToken }),
    );

    const names = [...(first.executions ?? []), ...(rest.executions ?? [])].map((execution) => execution.name);
    expect(names.slice(0, 3)).toEqual(['page-3', 'page-2', 'page-1']);
    expect(first.nextToken).toBeDefined();
  });

  it('returns the state-level history with AWS event types', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('compensate'), input: '{"plate":"BARRIER-DOWN","carParkId":"C"}' }),
    );
    await describeWhenDone(executionArn ?? '');

    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskFailed',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.taskFailedEventDetails?.error).toBe('BarrierUnavailable');
    expect(events[4]?.stateEnteredEventDetails?.name).toBe('ReleaseSpace');
  });

  it('serves clients configured only through AWS_ENDPOINT_URL_SFN', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SFN', api.endpoint);
    const fromEnvironment = new SFNClient({ region: 'eu-west-2', credentials });
    try {
      const { executionArn } = await fromEnvironment.send(
        new StartExecutionCommand({ stateMachineArn: stateMachineArnFor('reserve'), input: '{"carParkId":"CP9"}' }),
      );

      expect(engine.describe(executionArn ?? '').input).toEqual({ carParkId: 'CP9' });
    } finally {
      fromEnvironment.destroy();
      vi.unstubAllEnvs();
    }
  });
});
