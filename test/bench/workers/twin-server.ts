/**
 * Worker: the offline twin on a real port, for the latency runs and the tenancy workflows. The
 * parent drives it over HTTP, as a client would; what only the twin's workflow engine knows
 * (executions, their dates and state transitions) it asks for over the worker channel.
 */
import { executionArnFor, type ExecutionStatus } from '../../../local/stepfunctions/engine';
import { startBenchTwin, type BenchTwin } from './bench-twin';
import { runWorker } from './ipc';

export interface TwinServerInput {
  readonly dynamoEndpoint: string;
  /** A built site to serve beside the API (the portal measurements). */
  readonly staticDir?: string;
}

export interface TwinServerReady {
  readonly url: string;
  readonly tableName: string;
  /** The seeded demo tenant. */
  readonly tenant: { readonly email: string; readonly password: string };
  /** Every seeded demo login (admin, operator, tenant). */
  readonly logins: readonly { readonly role: string; readonly email: string; readonly password: string }[];
}

/** An execution to report on: by its exact name, or the newest whose name starts with a prefix. */
export interface ExecutionQuery {
  readonly workflowId: string;
  readonly name?: string;
  readonly namePrefix?: string;
}

/** Asks the twin to wait for these executions to end (each within `timeoutMs`) and describe them. */
export interface ExecutionsQuestion {
  readonly type: 'executions';
  readonly executions: readonly ExecutionQuery[];
  readonly timeoutMs: number;
}

export interface ExecutionFacts {
  readonly workflowId: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** The engine's startDate and stopDate, as epoch milliseconds. */
  readonly startMs: number;
  readonly stopMs: number | null;
  /** Billable transitions as the engine counts them: states entered (any depth) plus retries. */
  readonly stateTransitions: number;
  /** Names of the states entered, in order. */
  readonly statesEntered: readonly string[];
  readonly retries: number;
  readonly error: string | null;
}

runWorker<TwinServerInput, TwinServerReady>(async ({ dynamoEndpoint, staticDir }) => {
  const twin = await startBenchTwin({ dynamoEndpoint, ...(staticDir && { staticDir }) });
  // The simulators start at zero added latency and without faults; make sure of it.
  twin.integrations.stripe.faults.clear();
  twin.integrations.smartParking.faults.clear();
  const tenant = twin.logins.find((login) => login.role === 'tenant');
  if (!tenant) throw new Error('The demo data has no tenant login');
  return {
    data: {
      url: twin.url,
      tableName: twin.tableName,
      tenant: { email: tenant.email, password: tenant.password },
      logins: twin.logins.map(({ role, email, password }) => ({ role, email, password })),
    },
    close: twin.close,
    answer: (body) => answer(twin, body as ExecutionsQuestion),
  };
});

async function answer(twin: BenchTwin, question: ExecutionsQuestion): Promise<ExecutionFacts[]> {
  if (question.type !== 'executions') throw new Error(`Unknown question ${JSON.stringify(question)}`);
  const engine = twin.integrations.workflows;
  return Promise.all(
    question.executions.map(async ({ workflowId, name, namePrefix }) => {
      const arn =
        name !== undefined
          ? executionArnFor(workflowId, name)
          : engine.list(workflowId).find((e) => namePrefix !== undefined && e.name.startsWith(namePrefix))?.executionArn;
      if (!arn) throw new Error(`No ${workflowId} execution named ${name ?? `${namePrefix}…`}`);
      const described = await engine.waitFor(arn, { timeoutMs: question.timeoutMs });
      const history = engine.history(arn);
      return {
        workflowId,
        name: described.name,
        status: described.status,
        startMs: described.startDate.getTime(),
        stopMs: described.stopDate?.getTime() ?? null,
        stateTransitions: described.stateTransitions,
        statesEntered: history.filter((e) => e.type === 'StateEntered').map((e) => e.stateName ?? '?'),
        retries: history.filter((e) => e.type === 'StateRetried').length,
        error: described.error ?? null,
      };
    }),
  );
}
