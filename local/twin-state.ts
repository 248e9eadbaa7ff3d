/**
 * What a running twin tells other commands on the same machine (`npm run invoke`): its process,
 * its API URL and the environment that points handler code at its stand-ins. Written to
 * `.local/twin.json` once the twin serves, removed when it stops.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface TwinState {
  readonly pid: number;
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
