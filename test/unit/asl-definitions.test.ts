import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../functions/workflows';
import {
  fakeLambdaArn,
  prepareDefinition,
  substitute,
  validateDefinition,
  type JsonObject,
} from '../../local/stepfunctions/definition';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STATE_MACHINES_DIR = path.join(ROOT, 'state-machines');
const INVALID_FIXTURE = path.join(ROOT, 'test/local/stepfunctions/fixtures/state-machines/invalid.asl.json');

const aslFiles = existsSync(STATE_MACHINES_DIR)
  ? readdirSync(STATE_MACHINES_DIR).filter((file) => file.endsWith('.asl.json')).sort()
  : [];

/**
 * The file as deployed, as far as a test can know: task keys become Lambda ARNs (so Task
 * resources are checked as ARNs); other `${Key}`s, whose values the CDK supplies, stay as text.
 */
function definitionOf(file: string): JsonObject {
  const taskKeys = workflows
    .filter((workflow) => path.resolve(STATE_MACHINES_DIR, workflow.definitionFile) === file)
    .flatMap((workflow) => Object.keys(workflow.tasks));
  const values = Object.fromEntries(taskKeys.map((key) => [key, fakeLambdaArn(key)]));
  const { text } = substitute(readFileSync(file, 'utf8'), values);
  try {
    return JSON.parse(text) as JsonObject;
  } catch (error) {
    throw new Error(`${path.relative(ROOT, file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

describe('ASL definitions in state-machines/', () => {
  it.each(aslFiles)('%s passes asl-validator', (file) => {
    expect(validateDefinition(definitionOf(path.join(STATE_MACHINES_DIR, file)))).toEqual([]);
  });

  it.each(workflows.map((workflow) => [workflow.id, workflow] as const))(
    'workflow %s: its file exists and every Task invokes one of its task functions',
    (_id, workflow) => {
      const file = path.resolve(STATE_MACHINES_DIR, workflow.definitionFile);
      expect(existsSync(file), `${workflow.definitionFile} is missing from state-machines/`).toBe(true);

      expect(() => prepareDefinition(definitionOf(file), Object.keys(workflow.tasks), file)).not.toThrow();
    },
  );

  it('reports why an invalid definition is invalid', () => {
    const findings = validateDefinition(definitionOf(INVALID_FIXTURE));

    expect(findings).toEqual([expect.stringMatching(/^MISSING_TRANSITION_TARGET: .*NoSuchState/)]);
  });
});
