/** Errors the local Step Functions engine raises, named as Step Functions names them. */

/** Codes of the Step Functions API errors the engine can raise (the `__type` on the wire). */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidArn';

/** An API-level failure: what `StartExecution`, `DescribeExecution`... answer with. */
export class SfnApiError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A failed Lambda task inside an execution. aws-local-stepfunctions matches Retry and Catch on the
 * error's `name` and reports its `message` as the cause, so these carry the Lambda error type and
 * the Lambda-shaped cause (`{"errorType","errorMessage","trace"}`) Step Functions would show.
 */
export class TaskFailure extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

/**
 * `States.Runtime` (e.g. a path that points at nothing): like on AWS, neither Retry nor Catch
 * (not even States.ALL) handles it. The library reads these two flags off the error.
 */
export class StatesRuntimeError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}
