/**
 * The twin as `npm start` runs it, in child processes on free ports with a state directory of its
 * own: it stops completely whichever of its processes is signalled or killed, and refuses ports
 * that browsers and fetch cannot reach.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort, pollUntil } from '../../local/ports';
import { readTwinState, type TwinState } from '../../local/twin-state';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PORT_VARIABLES = [
  'PORT',
  'TWIN_CONSOLE_PORT',
  'DYNAMODB_PORT',
  'STRIPE_PORT',
  'SMARTPARKING_PORT',
  'XERO_PORT',
  'STEPFUNCTIONS_PORT',
  'EVENTBRIDGE_PORT',
] as const;
const START_TIMEOUT_MS = 90_000;

interface RunningTwin {
  readonly npm: ChildProcess;
  readonly state: TwinState;
  readonly ports: number[];
  output(): string;
}

const started: { npm: ChildProcess; dir: string }[] = [];

function launch(extraEnv: Record<string, string> = {}): { npm: ChildProcess; dir: string; output: () => string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'twin-lifetime-'));
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, TWIN_STATE_DIR: dir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  npm.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  started.push({ npm, dir });
  return { npm, dir, output: () => text };
}

async function startTwin(): Promise<RunningTwin> {
  const ports: number[] = [];
  while (ports.length < PORT_VARIABLES.length) {
    const port = await findFreePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const { npm, dir, output } = launch(Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, String(ports[i])])));
  const state = await pollUntil(async () => readTwinState(path.join(dir, 'twin.json')) ?? (npm.exitCode !== null ? 'exited' : undefined), {
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 200,
    describeFailure: () => `The twin did not start:\n${output()}`,
  });
  if (state === 'exited') throw new Error(`The twin exited during start:\n${output()}`);
  return { npm, state, ports, output };
}

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function portIsFree(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    return false;
  } catch {
    return true;
  }
}

async function expectFullyStopped(twin: RunningTwin): Promise<void> {
  const pids = { npm: twin.npm.pid, node: twin.state.pid, java: twin.state.javaPid };
  await pollUntil(async () => Object.values(pids).every((pid) => !alive(pid)), {
    timeoutMs: 20_000,
    intervalMs: 100,
    describeFailure: () =>
      `Still running: ${Object.entries(pids)
        .filter(([, pid]) => alive(pid))
        .map(([name, pid]) => `${name} (${pid})`)
        .join(', ')}\n${twin.output()}`,
  });
  const held = [];
  for (const port of twin.ports) if (!(await portIsFree(port))) held.push(port);
  expect(held, 'ports still answering after the twin stopped').toEqual([]);
}

afterEach(() => {
  for (const { npm, dir } of started.splice(0)) {
    if (npm.exitCode === null && npm.pid) npm.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the twin started with npm start', () => {
  it('stops node and java when npm gets SIGTERM, as a process manager or IDE sends it', async () => {
    const twin = await startTwin();
    expect(alive(twin.state.javaPid)).toBe(true);
    twin.npm.kill('SIGTERM');
    await expectFullyStopped(twin);
  }, 150_000);

  it('leaves no java behind when its node process is killed outright', async () => {
    const twin = await startTwin();
    process.kill(twin.state.pid, 'SIGKILL');
    await expectFullyStopped(twin);
  }, 150_000);

  it('stops everything when DynamoDB Local is hung up on, and says why', async () => {
    const twin = await startTwin();
    process.kill(twin.state.javaPid as number, 'SIGHUP');
    await expectFullyStopped(twin);
    expect(twin.output()).toMatch(/DynamoDB Local exited \(SIGHUP\)\. Stopping the twin/);
  }, 150_000);

  it('refuses a port that browsers and fetch refuse, before starting anything', async () => {
    const { npm, output } = launch({ PORT: '6000' });
    const code = await new Promise<number | null>((resolve) => npm.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(output()).toContain('PORT=6000: browsers and fetch refuse to connect to port 6000');
    expect(output()).not.toContain('Starting DynamoDB Local');
  }, 60_000);
});
