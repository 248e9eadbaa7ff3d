/**
 * What a running twin tells other commands on the same machine (`npm run invoke`): its process,
 * its API URL and the environment that points handler code at its stand-ins. Written to
 * `.local/twin.json` once the twin serves, removed when it stops.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the twin keeps its data: `.local/`, or TWIN_STATE_DIR (the lifetime tests use their own). */
export function twinStateDir(rootDir: string): string {
  return process.env.TWIN_STATE_DIR ? path.resolve(process.env.TWIN_STATE_DIR) : path.join(rootDir, '.local');
}

export interface TwinState {
  readonly pid: number;
  /** DynamoDB Local's java process. */
  readonly javaPid?: number | undefined;
  readonly apiUrl: string;
  readonly environment: Record<string, string>;
}

export function writeTwinState(file: string, state: TwinState): () => void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return () => {
    // Only our own file: a second twin on other ports may have replaced it.
    if (readTwinState(file)?.pid === state.pid) rmSync(file, { force: true });
  };
}

/** The state of a twin whose process is still alive, or undefined. */
export function readTwinState(file: string): TwinState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as TwinState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}
