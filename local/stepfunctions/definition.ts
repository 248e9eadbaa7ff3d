/**
 * ASL files as the CDK deploys them: definition substitutions applied, validated, then prepared
 * for aws-local-stepfunctions. Preparing binds every Task to a task function of the workflow
 * manifest and turns every Wait into a local task, so the engine decides how long a wait lasts
 * (a scaled "end of period", a clock the twin can advance) instead of the library's fixed sleep.
 */
import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The twin's one region, as in start.ts and the gateway: ARNs and log lines agree. */
export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The ARN a task key stands for locally, where the CDK substitutes the function's real ARN. */
export function fakeLambdaArn(taskKey: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${taskKey}`;
}

/** Resource of the local task a Wait state becomes; never invoked through its ARN. */
const LOCAL_WAIT_RESOURCE = fakeLambdaArn('twin-wait-state');

/**
 * Longest timeout Node's setTimeout honours (past 2^31-1 ms it fires at once). Task and execution
 * timeouts above it are clamped so they do not fire immediately.
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Replaces `${Key}` in the file's text, as CloudFormation does with DefinitionSubstitutions. */
export function substitute(
  text: string,
  values: Readonly<Record<string, string>>,
): { readonly text: string; readonly unresolved: readonly string[] } {
  const unresolved = new Set<string>();
  const result = text.replace(PLACEHOLDER, (match, key: string) => {
    if (!Object.hasOwn(values, key)) {
      unresolved.add(key);
      return match;
    }
    return values[key] ?? match;
  });
  return { text: result, unresolved: [...unresolved] };
}

/** Findings by definition text: asl-validator compiles its JSON schemas on every call (~0.3 s). */
const validated = new Map<string, readonly string[]>();

/** asl-validator's findings, one line each; empty when the definition is valid. */
export function validateDefinition(definition: unknown): string[] {
  const key = JSON.stringify(definition);
  let findings = validated.get(key);
  if (!findings) {
    // The validator annotates the object it checks, so it gets a copy.
    const result = aslValidator(JSON.parse(key), { checkPaths: true, checkArn: true });
    findings = result.isValid ? [] : result.errors.map((error) => `${error['Error code']}: ${error.Message}`);
    validated.set(key, findings);
  }
  return [...findings];
}

/** Reads, substitutes, parses and validates one ASL file; throws with the reason otherwise. */
export function loadDefinitionFile(file: string, values: Readonly<Record<string, string>>): JsonObject {
  const { text, unresolved } = substitute(readFileSync(file, 'utf8'), values);
  if (unresolved.length > 0) {
    const keys = unresolved.map((key) => `\${${key}}`).join(', ');
    throw new Error(
      `${file}: no value for ${keys}. Task keys come from the workflow's tasks in functions/workflows.ts; ` +
        'other keys must be given as substitutions.',
    );
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON after substitution: ${(error as Error).message}`, { cause: error });
  }
  const errors = validateDefinition(definition);
  if (errors.length > 0 || !isObject(definition)) {
    throw new Error(`${file} is not a valid state machine definition:\n  - ${errors.join('\n  - ')}`);
  }
  return definition;
}

export interface WaitSpec {
  readonly Seconds?: number;
  readonly Timestamp?: string;
  readonly SecondsPath?: string;
  readonly TimestampPath?: string;
}

export interface PreparedDefinition {
  /** The definition aws-local-stepfunctions runs. */
  readonly definition: JsonObject;
  /** Task state name → task key (state names are unique across a whole state machine). */
  readonly tasks: ReadonlyMap<string, string>;
  /** Wait state name → how long it waits. */
  readonly waits: ReadonlyMap<string, WaitSpec>;
  /** States with a Retry field. */
  readonly retryingStates: readonly string[];
}

/** Fields aws-local-stepfunctions 3.0 does not implement: refuse them rather than run them wrongly. */
const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  Assign: 'variables',
  Arguments: 'JSONata',
  Output: 'JSONata',
  Items: 'JSONata',
  ItemReader: 'distributed Map',
  ItemBatcher: 'distributed Map',
  ResultWriter: 'distributed Map',
  ToleratedFailureCount: 'distributed Map',
  ToleratedFailureCountPath: 'distributed Map',
  ToleratedFailurePercentage: 'distributed Map',
  ToleratedFailurePercentagePath: 'distributed Map',
  Credentials: 'cross-account tasks',
};

const WAIT_FIELDS_KEPT = ['Comment', 'InputPath', 'OutputPath', 'Next', 'End'] as const;

/**
 * Binds Task states to task keys (`Resource` must be the fake ARN of one of `taskKeys`) and turns
 * Wait states into local tasks. `origin` names the file in error messages.
 */
export function prepareDefinition(source: JsonObject, taskKeys: readonly string[], origin: string): PreparedDefinition {
  const definition = structuredClone(source);
  const keyByArn = new Map(taskKeys.map((key) => [fakeLambdaArn(key), key]));
  const tasks = new Map<string, string>();
  const waits = new Map<string, WaitSpec>();
  const retryingStates: string[] = [];
  const seen = new Set<string>();

  if (definition.QueryLanguage === 'JSONata') {
    throw new Error(`${origin}: JSONata state machines are not supported locally; use JSONPath.`);
  }
  clampTimeout(definition);

  forEachState(definition, (name, state, states) => {
    if (seen.has(name)) throw new Error(`${origin}: state name "${name}" is used twice.`);
    seen.add(name);
    if (state.QueryLanguage === 'JSONata') {
      throw new Error(`${origin}: state "${name}" uses JSONata, which is not supported locally; use JSONPath.`);
    }
    for (const field of Object.keys(state)) {
      const feature = UNSUPPORTED_FIELDS[field];
      if (feature) throw new Error(`${origin}: state "${name}" uses ${field} (${feature}), which is not supported locally.`);
    }
    if (Array.isArray(state.Retry)) retryingStates.push(name);

    if (state.Type === 'Task') {
      const resource = state.Resource;
      const taskKey = typeof resource === 'string' ? keyByArn.get(resource) : undefined;
      if (taskKey === undefined) {
        const declared = taskKeys.map((key) => `\${${key}}`).join(', ') || 'none declared';
        throw new Error(
          `${origin}: Task state "${name}" has Resource ${JSON.stringify(resource)}. Locally a Task must invoke ` +
            `one of the workflow's task functions directly ("Resource": "\${Key}"; declared: ${declared}).`,
        );
      }
      tasks.set(name, taskKey);
      // The library's own default is 60 s; AWS has none (the function's timeout applies).
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
      }
      clampTimeout(state);
    }

    if (state.Type === 'Wait') {
      waits.set(name, waitSpecOf(state));
      const task: JsonObject = { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: MAX_TIMER_SECONDS };
      for (const field of WAIT_FIELDS_KEPT) {
        const value = state[field];
        if (value !== undefined) task[field] = value;
      }
      states[name] = task;
    }
  });

  return { definition, tasks, waits, retryingStates };
}

function waitSpecOf(state: JsonObject): WaitSpec {
  const spec: { -readonly [K in keyof WaitSpec]: WaitSpec[K] } = {};
  if (typeof state.Seconds === 'number') spec.Seconds = state.Seconds;
  if (typeof state.Timestamp === 'string') spec.Timestamp = state.Timestamp;
  if (typeof state.SecondsPath === 'string') spec.SecondsPath = state.SecondsPath;
  if (typeof state.TimestampPath === 'string') spec.TimestampPath = state.TimestampPath;
  return spec;
}

function clampTimeout(holder: JsonObject): void {
  if (typeof holder.TimeoutSeconds === 'number' && holder.TimeoutSeconds > MAX_TIMER_SECONDS) {
    holder.TimeoutSeconds = MAX_TIMER_SECONDS;
  }
}

/** Visits every state, including those inside Parallel branches and Map item processors. */
export function forEachState(
  machine: JsonObject,
  visit: (name: string, state: JsonObject, states: JsonObject) => void,
): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    visit(name, state, states);
    if (Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isObject(branch)) forEachState(branch, visit);
    }
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor)) forEachState(processor, visit);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
