/**
 * The Step Functions API over the local workflow engine, spoken the way @aws-sdk/client-sfn speaks
 * it (awsJson1_0: `POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`, timestamps as epoch
 * seconds, errors as `{ "__type", "message" }`). With `AWS_ENDPOINT_URL_SFN` pointing here, handler
 * code using the real SFNClient runs unchanged.
 */
import { AwsJsonError as ClientError, startAwsJsonApi } from '../aws-json-api';
import type { JsonObject, JsonValue } from './definition';
import {
  workflowIdOf,
  type ExecutionDescription,
  type ExecutionStatus,
  type ExecutionSummary,
  type HistoryEvent,
  type WorkflowEngine,
} from './engine';
import { SfnApiError } from './errors';

export { stateMachineArnFor } from './engine';

export interface SfnApiOptions {
  readonly engine: WorkflowEngine;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface SfnApi {
  /** Base URL, for `AWS_ENDPOINT_URL_SFN` or `new SFNClient({ endpoint })`. */
  readonly endpoint: string;
  close(): Promise<void>;
}


const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export async function startSfnApi({ engine, port = 0, host = '127.0.0.1' }: SfnApiOptions): Promise<SfnApi> {
  const operations: Record<string, (request: JsonObject) => JsonObject> = {
    StartExecution(request) {
      const workflowId = workflowIdFromArn(requiredString(request, 'stateMachineArn'));
      const name = optionalString(request, 'name');
      const { executionArn, startDate } = engine.start({
        workflowId,
        input: parseInput(request.input),
        ...(name !== undefined && { name }),
      });
      return { executionArn, startDate: epochSeconds(startDate) };
    },

    DescribeExecution(request) {
      return describeExecution(engine.describe(requiredString(request, 'executionArn')));
    },

    ListExecutions(request) {
      const workflowId = workflowIdFromArn(requiredString(request, 'stateMachineArn'));
      const statusFilter = optionalString(request, 'statusFilter');
      if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
        throw new ClientError('ValidationException', `Invalid statusFilter: ${statusFilter}`);
      }
      const executions = engine.list(workflowId, statusFilter as ExecutionStatus | undefined).map(summarize);
      const { items, nextToken } = page(executions, request);
      return { executions: items, ...(nextToken && { nextToken }) };
    },

    GetExecutionHistory(request) {
      const includeData = request.includeExecutionData !== false;
      let events = toAwsHistory(engine.history(requiredString(request, 'executionArn')), includeData);
      if (request.reverseOrder === true) events = events.reverse();
      const { items, nextToken } = page(events, request);
      return { events: items, ...(nextToken && { nextToken }) };
    },

    StopExecution(request) {
      const error = optionalString(request, 'error');
      const cause = optionalString(request, 'cause');
      const { stopDate } = engine.stop(requiredString(request, 'executionArn'), {
        ...(error !== undefined && { error }),
        ...(cause !== undefined && { cause }),
      });
      return { stopDate: epochSeconds(stopDate) };
    },
  };

  return startAwsJsonApi({
    name: 'Step Functions stand-in',
    jsonVersion: '1.0',
    targetPrefix: 'AWSStepFunctions.',
    operations,
    internalErrorType: 'InternalServerError',
    clientError: (error) => (error instanceof SfnApiError ? new ClientError(error.code, error.message) : undefined),
    port,
    host,
  });
}



function workflowIdFromArn(stateMachineArn: string): string {
  const workflowId = workflowIdOf(stateMachineArn);
  if (workflowId !== undefined) return workflowId;
  if (!stateMachineArn.startsWith('arn:')) throw new SfnApiError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
  throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
}

function parseInput(input: JsonValue | undefined): JsonValue {
  if (input === undefined) return {};
  if (typeof input !== 'string') throw new ClientError('ValidationException', 'input must be a string');
  try {
    return JSON.parse(input) as JsonValue;
  } catch {
    throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input is not valid JSON');
  }
}

function requiredString(request: JsonObject, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ClientError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(request: JsonObject, field: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ClientError('ValidationException', `${field} must be a string`);
  return value;
}

/** Pages of `maxResults` (default 100, AWS's default too); the token is the next offset. */
function page<T>(items: readonly T[], request: JsonObject): { items: T[]; nextToken?: string } {
  const maxResults = typeof request.maxResults === 'number' && request.maxResults > 0 ? request.maxResults : 100;
  const token = optionalString(request, 'nextToken');
  const offset = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(offset) || offset < 0) throw new ClientError('InvalidToken', `Invalid Token: '${token}'`);
  const end = offset + maxResults;
  return { items: items.slice(offset, end), ...(end < items.length && { nextToken: String(end) }) };
}

const epochSeconds = (date: Date): number => date.getTime() / 1000;

function summarize(execution: ExecutionSummary): JsonObject {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    ...(execution.stopDate && { stopDate: epochSeconds(execution.stopDate) }),
  };
}

function describeExecution(execution: ExecutionDescription): JsonObject {
  return {
    ...summarize(execution),
    input: JSON.stringify(execution.input),
    inputDetails: { included: true },
    ...(execution.output !== undefined && {
      output: JSON.stringify(execution.output),
      outputDetails: { included: true },
    }),
    ...(execution.error !== undefined && { error: execution.error }),
    ...(execution.cause !== undefined && { cause: execution.cause }),
  };
}

/**
 * The engine's events as GetExecutionHistory reports them. AWS also logs TaskScheduled, TaskStarted
 * and TaskSucceeded around each Lambda call; the local history keeps the state-level events.
 */
function toAwsHistory(events: readonly HistoryEvent[], includeData: boolean): JsonObject[] {
  const data = (value: JsonValue | undefined) => (includeData && value !== undefined ? JSON.stringify(value) : undefined);
  const history: JsonObject[] = [];
  for (const event of events) {
    const details = awsEvent(event, data);
    if (!details) continue;
    const id = history.length + 1;
    history.push({ id, previousEventId: id - 1, timestamp: epochSeconds(event.timestamp), ...details });
  }
  return history;
}

function awsEvent(event: HistoryEvent, data: (value: JsonValue | undefined) => string | undefined): JsonObject | undefined {
  const errorAndCause = {
    ...(event.error !== undefined && { error: event.error }),
    ...(event.cause !== undefined && { cause: event.cause }),
  };
  const name = event.stateName ?? '';
  switch (event.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', executionStartedEventDetails: withData('input', data(event.input)) };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: withData('output', data(event.output)) };
    case 'ExecutionFailed':
      return { type: 'ExecutionFailed', executionFailedEventDetails: errorAndCause };
    case 'ExecutionAborted':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } };
    case 'StateEntered':
      return { type: `${event.stateType}StateEntered`, stateEnteredEventDetails: { name, ...withData('input', data(event.input)) } };
    case 'StateExited':
      return { type: `${event.stateType}StateExited`, stateExitedEventDetails: { name, ...withData('output', data(event.output)) } };
    case 'StateFailed':
      if (event.stateType === 'Task') {
        const timedOut = event.error === 'States.Timeout';
        return {
          type: timedOut ? 'TaskTimedOut' : 'TaskFailed',
          [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: {
            resourceType: 'lambda',
            resource: 'function',
            ...errorAndCause,
          },
        };
      }
      if (event.stateType === 'Map') return { type: 'MapStateFailed' };
      if (event.stateType === 'Parallel') return { type: 'ParallelStateFailed' };
      return undefined;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const detailsField = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
      return { type: event.type, [detailsField]: { name, index: event.mapIndex ?? 0 } };
    }
    default:
      return undefined;
  }
}

function withData(field: 'input' | 'output', value: string | undefined): JsonObject {
  return value === undefined
    ? { [`${field}Details`]: { truncated: false } }
    : { [field]: value, [`${field}Details`]: { truncated: false } };
}

