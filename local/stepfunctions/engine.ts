/**
 * The offline twin's Step Functions: runs the ASL files the CDK deploys (state-machines/) with
 * aws-local-stepfunctions, each Task invoking its task function's handler module in-process, with
 * Standard-workflow execution semantics (unique names, idempotent start, describe, list, history,
 * stop). Executions live in memory.
 */
import './polyfill';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { WorkflowSpec } from '../../functions/workflows';
import {
  fakeLambdaArn,
  loadDefinitionFile,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  prepareDefinition,
  type JsonObject,
  type JsonValue,
  type WaitSpec,
} from './definition';
import { SfnApiError, StatesRuntimeError } from './errors';
import { createTaskInvoker, type TaskFunction, type TaskInvoker } from './lambda-tasks';
import { effectiveWaitMs, nominalWaitMs, realClock, waitTarget, type WaitRules, type WorkflowClock } from './waits';

export type { JsonValue } from './definition';
export type { TimedWaitRequest, WaitRequest, WaitTimeFunction, WaitUntilFunction, WorkflowClock } from './waits';
export { realClock } from './waits';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export type StateType = 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';

export interface WorkflowEngineOptions extends WaitRules {
  readonly workflows: readonly WorkflowSpec[];
  /** Directory the workflows' `definitionFile`s are relative to. */
  readonly stateMachinesDir: string;
  /** Directory the task functions' `handler` modules are relative to. */
  readonly functionsDir: string;
  /** Values for `${Key}`s that are not task keys (the CDK's other definitionSubstitutions). */
  readonly substitutions?: Readonly<Record<string, string>>;
  /** Pause before each retry: workflow id → state name → ms, or ms per retrier (-1 keeps one). */
  readonly retryIntervalOverrides?: Readonly<Record<string, Readonly<Record<string, number | readonly number[]>>>>;
  /** Pause before every retry of every state not overridden above, in ms. */
  readonly retryIntervalMs?: number;
  /** The task functions' own timeout (Lambda's), in ms; defaults to 60 s. */
  readonly lambdaTimeoutMs?: number;
  /** Time source and sleeper for Wait states; defaults to real time. */
  readonly clock?: WorkflowClock;
  /** One line per execution start and end; defaults to console.log. */
  readonly log?: (line: string) => void;
}

export interface StartExecutionRequest {
  readonly workflowId: string;
  /** Unique per state machine; a UUID when omitted. */
  readonly name?: string;
  /** Defaults to `{}`, like StartExecution. */
  readonly input?: JsonValue;
}

export interface StartExecutionResult {
  readonly executionArn: string;
  readonly startDate: Date;
}

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly workflowId: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
}

export interface ExecutionDescription extends ExecutionSummary {
  readonly input: JsonValue;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** Billable state transitions so far: states entered (at any depth) plus retries. */
  readonly stateTransitions: number;
}

export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimeout'
  | 'StateEntered'
  | 'StateExited'
  | 'StateFailed'
  | 'StateRetried'
  | 'StateCaught'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'ParallelBranchStarted'
  | 'ParallelBranchSucceeded'
  | 'ParallelBranchFailed';

export interface HistoryEvent {
  /** 1-based, in the order the events happened. */
  readonly id: number;
  readonly timestamp: Date;
  readonly type: HistoryEventType;
  /** The state; for Map iteration and Parallel branch events, the Map or Parallel state. */
  readonly stateName?: string;
  readonly stateType?: StateType;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** Index of the Map iteration the event belongs to. */
  readonly mapIndex?: number;
  /** For StateRetried: which retry this is (1 = first). */
  readonly retryAttempt?: number;
}

export interface WorkflowEngine {
  readonly workflowIds: readonly string[];
  /** Starts an execution and returns at once; the execution runs in the background. */
  start(request: StartExecutionRequest): StartExecutionResult;
  describe(executionArn: string): ExecutionDescription;
  /** Newest first. */
  list(workflowId: string, status?: ExecutionStatus): ExecutionSummary[];
  history(executionArn: string): HistoryEvent[];
  /** Resolves as soon as the execution is no longer RUNNING; rejects after `timeoutMs` (30 s). */
  waitFor(executionArn: string, options?: { readonly timeoutMs?: number }): Promise<ExecutionDescription>;
  stop(executionArn: string, details?: { readonly error?: string; readonly cause?: string }): { readonly stopDate: Date };
  /** Aborts every running execution and waits for them to end. */
  close(): Promise<void>;
}

export function stateMachineArnFor(workflowId: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${workflowId}`;
}

export function executionArnFor(workflowId: string, name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${workflowId}:${name}`;
}

/** Inverse of stateMachineArnFor; undefined for anything else. */
export function workflowIdOf(stateMachineArn: string): string | undefined {
  const prefix = stateMachineArnFor('');
  return stateMachineArn.startsWith(prefix) && stateMachineArn.length > prefix.length
    ? stateMachineArn.slice(prefix.length)
    : undefined;
}

const DEFAULT_LAMBDA_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_FOR_MS = 30_000;
/** Step Functions' limit on execution input. */
const MAX_INPUT_BYTES = 256 * 1024;

interface LoadedWorkflow {
  readonly spec: WorkflowSpec;
  readonly stateMachineArn: string;
  readonly machine: StateMachine;
  /** Task state name → the task function it invokes. */
  readonly tasks: ReadonlyMap<string, TaskFunction>;
  readonly waits: ReadonlyMap<string, WaitSpec>;
  readonly retryIntervalOverrides: Record<string, number | number[]>;
}

interface Execution {
  readonly workflow: LoadedWorkflow;
  readonly executionArn: string;
  readonly name: string;
  readonly input: JsonValue;
  readonly inputJson: string;
  readonly startDate: Date;
  readonly events: HistoryEvent[];
  /** Aborted when the execution ends: releases its waits and keeps its tasks from starting. */
  readonly ended: AbortController;
  status: ExecutionStatus;
  output?: JsonValue;
  error?: string;
  cause?: string;
  stopDate?: Date;
  stateTransitions: number;
  abortRun: () => void;
  done: Promise<void>;
}

type LibraryRun = ReturnType<StateMachine['run']>;
type LibraryEvent = LibraryRun['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export function createWorkflowEngine(options: WorkflowEngineOptions): WorkflowEngine {
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = options.clock ?? realClock;
  const invoker = createTaskInvoker(options.functionsDir, options.lambdaTimeoutMs ?? DEFAULT_LAMBDA_TIMEOUT_MS);
  const workflows = new Map<string, LoadedWorkflow>();
  for (const spec of options.workflows) {
    if (workflows.has(spec.id)) throw new Error(`Workflow id "${spec.id}" is declared twice.`);
    workflows.set(spec.id, loadWorkflow(spec, options, invoker));
  }
  const executions = new Map<string, Execution>();
  let closed = false;

  function workflowById(workflowId: string): LoadedWorkflow {
    const workflow = workflows.get(workflowId);
    if (!workflow) {
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArnFor(workflowId)}'`);
    }
    return workflow;
  }

  function executionByArn(executionArn: string): Execution {
    const execution = executions.get(executionArn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  function taskHandlers(execution: Execution, context: JsonObject) {
    const { workflow } = execution;
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const [stateName, fn] of workflow.tasks) {
      handlers[stateName] = (input) =>
        // After a stop the library may still retry the current state: nothing starts once it has ended.
        execution.ended.signal.aborted
          ? Promise.reject(new StatesRuntimeError('The execution has ended'))
          : invoker.invoke(fn, input);
    }
    for (const [stateName, spec] of workflow.waits) {
      handlers[stateName] = async (input) => {
        const now = clock.now();
        const nominalMs = nominalWaitMs(spec, input, context, now);
        const request = {
          workflowId: workflow.spec.id,
          executionArn: execution.executionArn,
          stateName,
          nominalMs,
          resumeAt: new Date(now + nominalMs),
        };
        const target = waitTarget(spec, input, context);
        const takenOver = options.waitUntil?.({ ...request, input, ...(target !== undefined ? { target } : {}) }, execution.ended.signal);
        await (takenOver ?? clock.sleep(effectiveWaitMs(request, options), execution.ended.signal));
        return input;
      };
    }
    return handlers;
  }

  async function record(execution: Execution, events: LibraryRun['eventLogs']): Promise<void> {
    for await (const event of events) {
      if (event.type === 'StateEntered' || event.type === 'StateRetried') execution.stateTransitions += 1;
      execution.events.push(toHistoryEvent(event, execution.events.length + 1, execution.workflow.waits));
    }
  }

  function finish(execution: Execution, outcome: PromiseSettledResult<unknown>): void {
    if (execution.status === 'RUNNING') {
      if (outcome.status === 'fulfilled') {
        execution.status = 'SUCCEEDED';
        execution.output = outcome.value as JsonValue;
      } else if (outcome.reason instanceof ExecutionTimeoutError) {
        execution.status = 'TIMED_OUT';
        execution.error = 'States.Timeout';
      } else if (outcome.reason instanceof ExecutionAbortedError) {
        execution.status = 'ABORTED';
      } else {
        execution.status = 'FAILED';
        const failure = outcome.reason instanceof ExecutionError ? outcome.reason.cause : outcome.reason;
        Object.assign(execution, errorDetails(failure));
      }
      execution.stopDate = new Date();
    }
    execution.ended.abort();
    const took = (execution.stopDate ?? new Date()).getTime() - execution.startDate.getTime();
    const error = execution.error ? ` (${execution.error})` : '';
    log(
      `[stepfunctions] ${execution.workflow.spec.id}/${execution.name} ${execution.status}${error} ` +
        `after ${took} ms, ${execution.stateTransitions} state transitions`,
    );
  }

  function summary(execution: Execution): ExecutionSummary {
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.workflow.stateMachineArn,
      workflowId: execution.workflow.spec.id,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate && { stopDate: execution.stopDate }),
    };
  }

  const engine: WorkflowEngine = {
    workflowIds: [...workflows.keys()],

    start({ workflowId, name = randomUUID(), input = {} }) {
      if (closed) throw new Error('The workflow engine is closed.');
      const workflow = workflowById(workflowId);
      assertValidName(name);
      const inputJson = JSON.stringify(input);
      if (Buffer.byteLength(inputJson) > MAX_INPUT_BYTES) {
        throw new SfnApiError('InvalidExecutionInput', `Execution input exceeds ${MAX_INPUT_BYTES} bytes.`);
      }
      const executionArn = executionArnFor(workflowId, name);
      const existing = executions.get(executionArn);
      if (existing) {
        // Standard workflows: the same name and input while the first is open is the same start.
        if (existing.status === 'RUNNING' && existing.inputJson === inputJson) {
          return { executionArn, startDate: existing.startDate };
        }
        throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }

      const startDate = new Date();
      const execution: Execution = {
        workflow,
        executionArn,
        name,
        input,
        inputJson,
        startDate,
        events: [],
        ended: new AbortController(),
        status: 'RUNNING',
        stateTransitions: 0,
        abortRun: () => {},
        done: Promise.resolve(),
      };
      const context: JsonObject = {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: input,
          StartTime: startDate.toISOString(),
          RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${workflowId}`,
        },
        StateMachine: { Id: workflow.stateMachineArn, Name: workflowId },
      };
      const run = workflow.machine.run(input, {
        overrides: {
          taskResourceLocalHandlers: taskHandlers(execution, context),
          retryIntervalOverrides: workflow.retryIntervalOverrides,
        },
        context,
      });
      execution.abortRun = run.abort;
      execution.done = Promise.allSettled([run.result, record(execution, run.eventLogs)]).then(([outcome]) =>
        finish(execution, outcome),
      );
      executions.set(executionArn, execution);
      log(`[stepfunctions] ${workflowId}/${name} started`);
      return { executionArn, startDate };
    },

    describe(executionArn) {
      const execution = executionByArn(executionArn);
      return {
        ...summary(execution),
        input: execution.input,
        ...(execution.output !== undefined && { output: execution.output }),
        ...(execution.error !== undefined && { error: execution.error }),
        ...(execution.cause !== undefined && { cause: execution.cause }),
        stateTransitions: execution.stateTransitions,
      };
    },

    list(workflowId, status) {
      workflowById(workflowId);
      return [...executions.values()]
        .filter((execution) => execution.workflow.spec.id === workflowId && (!status || execution.status === status))
        .reverse()
        .map(summary);
    },

    history(executionArn) {
      return [...executionByArn(executionArn).events];
    },

    async waitFor(executionArn, { timeoutMs = DEFAULT_WAIT_FOR_MS } = {}) {
      const execution = executionByArn(executionArn);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([execution.done.then(() => 'done' as const), timedOut]);
        if (outcome === 'timed out') {
          const lastState = execution.events.findLast((event) => event.type === 'StateEntered')?.stateName;
          throw new Error(
            `${executionArn} is still ${execution.status} after ${timeoutMs} ms` +
              (lastState ? ` (last state entered: ${lastState})` : ''),
          );
        }
        return engine.describe(executionArn);
      } finally {
        clearTimeout(timer);
      }
    },

    stop(executionArn, details = {}) {
      const execution = executionByArn(executionArn);
      if (execution.status === 'RUNNING') {
        execution.status = 'ABORTED';
        execution.stopDate = new Date();
        if (details.error !== undefined) execution.error = details.error;
        if (details.cause !== undefined) execution.cause = details.cause;
        execution.abortRun();
        execution.ended.abort();
      }
      return { stopDate: execution.stopDate ?? new Date() };
    },

    async close() {
      closed = true;
      const running = [...executions.values()].filter((execution) => execution.status === 'RUNNING');
      for (const execution of running) engine.stop(execution.executionArn);
      await Promise.all([...executions.values()].map((execution) => execution.done));
    },
  };
  return engine;
}

function loadWorkflow(spec: WorkflowSpec, options: WorkflowEngineOptions, invoker: TaskInvoker): LoadedWorkflow {
  const file = path.resolve(options.stateMachinesDir, spec.definitionFile);
  if (!existsSync(file)) throw new Error(`Workflow ${spec.id}: definition file ${file} does not exist.`);
  const taskKeys = Object.keys(spec.tasks);
  const values: Record<string, string> = { ...options.substitutions };
  for (const key of taskKeys) values[key] = fakeLambdaArn(key);

  const prepared = prepareDefinition(loadDefinitionFile(file, values), taskKeys, file);
  const functions = new Map<string, TaskFunction>();
  for (const [taskKey, task] of Object.entries(spec.tasks)) {
    const fn = { taskKey, handler: task.handler };
    invoker.assertExists(fn);
    functions.set(taskKey, fn);
  }
  const tasks = new Map<string, TaskFunction>();
  for (const [stateName, taskKey] of prepared.tasks) {
    const fn = functions.get(taskKey);
    if (fn) tasks.set(stateName, fn);
  }

  const retryIntervalOverrides: Record<string, number | number[]> = {};
  if (options.retryIntervalMs !== undefined) {
    for (const state of prepared.retryingStates) retryIntervalOverrides[state] = options.retryIntervalMs;
  }
  for (const [state, pause] of Object.entries(options.retryIntervalOverrides?.[spec.id] ?? {})) {
    retryIntervalOverrides[state] = typeof pause === 'number' ? pause : [...pause];
  }

  return {
    spec,
    stateMachineArn: stateMachineArnFor(spec.id),
    // Validated above with asl-validator 4; the library's bundled validator is older.
    machine: new StateMachine(prepared.definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    }),
    tasks,
    waits: prepared.waits,
    retryIntervalOverrides,
  };
}

const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

/** StartExecution's rules for names: 1-80 characters, none of the reserved or control characters. */
function assertValidName(name: string): void {
  const hasControl = [...name].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
  if (name.length === 0 || name.length > 80 || hasControl || FORBIDDEN_NAME_CHARACTERS.test(name)) {
    throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
  }
}

const DEFAULT_FAIL_STATE_ERROR = 'FailStateError';
const DEFAULT_FAIL_STATE_CAUSE = 'Execution failed because of a Fail state';

/** Error and cause as Step Functions reports them (a Fail state without Error/Cause has none). */
function errorDetails(failure: unknown): { error?: string; cause?: string } {
  if (!(failure instanceof Error)) return { error: 'States.Runtime', cause: String(failure) };
  const details: { error?: string; cause?: string } = {};
  if (failure.name !== DEFAULT_FAIL_STATE_ERROR) details.error = failure.name;
  if (failure.message !== DEFAULT_FAIL_STATE_CAUSE && failure.message !== failure.name) details.cause = failure.message;
  return details;
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}

function toHistoryEvent(event: LibraryEvent, id: number, waits: ReadonlyMap<string, WaitSpec>): HistoryEvent {
  const base = { id, timestamp: new Date(event.timestamp), type: event.type };
  // Wait states run as local tasks (see definition.ts); report them as the Waits they are.
  const stateType = (name: string, type: StateType): StateType => (waits.has(name) ? 'Wait' : type);
  switch (event.type) {
    case 'ExecutionStarted':
      return { ...base, input: event.input };
    case 'ExecutionSucceeded':
      return { ...base, output: event.output };
    case 'ExecutionFailed':
    case 'StateFailed':
    case 'MapIterationFailed':
    case 'ParallelBranchFailed': {
      const details = { error: event.Error, cause: causeText(event.Cause) };
      if (event.type === 'ExecutionFailed') return { ...base, ...details };
      if (event.type === 'StateFailed') {
        const { name, type, input } = event.state;
        return {
          ...base,
          stateName: name,
          stateType: stateType(name, type),
          input,
          ...details,
          ...(event.index !== undefined && { mapIndex: event.index }),
        };
      }
      return {
        ...base,
        stateName: event.parentState.name,
        stateType: event.parentState.type,
        ...details,
        ...(event.type === 'MapIterationFailed' && { mapIndex: event.index }),
      };
    }
    case 'ExecutionAborted':
    case 'ExecutionTimeout':
      return base;
    case 'StateEntered':
    case 'StateExited':
    case 'StateRetried':
    case 'StateCaught': {
      const { name, type, input, output } = event.state;
      return {
        ...base,
        stateName: name,
        stateType: stateType(name, type),
        input,
        ...(event.type === 'StateExited' && { output }),
        ...(event.type === 'StateRetried' && { retryAttempt: event.retry.attempt }),
        ...(event.index !== undefined && { mapIndex: event.index }),
      };
    }
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
      return { ...base, stateName: event.parentState.name, stateType: 'Map', mapIndex: event.index };
    case 'ParallelBranchStarted':
    case 'ParallelBranchSucceeded':
      return { ...base, stateName: event.parentState.name, stateType: 'Parallel' };
  }
}
