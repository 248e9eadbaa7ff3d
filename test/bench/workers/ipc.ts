/**
 * Bench workers: separate Node processes (a server under load must not share an event loop
 * with the load generator, and each twin needs its own handler module instances, as a Lambda
 * container has). The parent forks a worker with its input; the worker answers `ready` with its
 * data, then runs until told to stop — or until the parent goes away, so none outlives a crash.
 * In between, the parent may ask a worker questions (`request`), which it answers over the same
 * channel (e.g. what its workflow engine recorded).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../../../lib/paths';

const INPUT_VARIABLE = 'BENCH_WORKER_INPUT';

type FromWorker =
  | { type: 'ready'; data: unknown }
  | { type: 'failed'; message: string }
  | { type: 'answer'; id: number; ok: true; data: unknown }
  | { type: 'answer'; id: number; ok: false; message: string };
type ToWorker = { type: 'stop' } | { type: 'request'; id: number; body: unknown };

// --- parent side -----------------------------------------------------------------------------

export interface Worker<T> {
  readonly data: T;
  /** Asks the worker (its `answer` handler) and resolves with its answer; rejects after `timeoutMs`. */
  request<R>(body: unknown, timeoutMs: number): Promise<R>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Forks `file` (TypeScript, through tsx) and resolves with its `ready` data. */
export function startWorker<T>(name: string, file: string, input: unknown, timeoutMs: number): Promise<Worker<T>> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const child = fork(file, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    // The bench runs on Node 20 on purpose; the SDK's notice about newer Node versions is noise here.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', [INPUT_VARIABLE]: JSON.stringify(input) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));

  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (error: Error) => {
      done();
      void stopChild(child).finally(() => reject(error));
    };
    const onMessage = (message: FromWorker) => {
      if (message.type === 'ready') {
        done();
        resolve({ data: message.data as T, request: (body, ms) => requestChild(name, child, body, ms), stop: () => stopChild(child) });
      } else if (message.type === 'failed') {
        fail(new Error(`${name} failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready`));
    const onError = (error: Error) => fail(error);
    const timer = setTimeout(() => fail(new Error(`${name} was not ready within ${timeoutMs / 1000} s`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

let lastRequestId = 0;

function requestChild<R>(name: string, child: ChildProcess, body: unknown, timeoutMs: number): Promise<R> {
  const id = ++lastRequestId;
  return new Promise<R>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'answer' || message.id !== id) return;
      done();
      if (message.ok) resolve(message.data as R);
      else reject(new Error(`${name}: ${message.message}`));
    };
    const onExit = () => {
      done();
      reject(new Error(`${name} exited before answering`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${name} did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (!child.connected) {
      onExit();
      return;
    }
    child.send({ type: 'request', id, body } satisfies ToWorker, (error) => {
      if (error) {
        done();
        reject(error);
      }
    });
  });
}

/** Asks the worker to stop; kills it if it has not exited 10 s later. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // The worker may already be going (Ctrl-C reaches the whole process group): then just signal it.
    if (!child.connected) child.kill('SIGTERM');
    else child.send({ type: 'stop' } satisfies ToWorker, (error) => error && child.kill('SIGTERM'));
  });
}

/** Kills every worker still running (for an interrupted or failed run). */
export function killAllWorkers(): void {
  for (const child of live) child.kill('SIGKILL');
}

// --- worker side -----------------------------------------------------------------------------

export interface Started<T> {
  readonly data: T;
  close(): Promise<void>;
  /** Answers the parent's `request`s; a worker without one refuses them. */
  answer?(body: unknown): Promise<unknown>;
}

export function runWorker<I, T>(start: (input: I) => Promise<Started<T>>): void {
  const input = JSON.parse(process.env[INPUT_VARIABLE] ?? '{}') as I;
  let close: (() => Promise<void>) | undefined;
  let answer: Started<T>['answer'];
  let finishing = false;
  const finish = (code: number) => {
    if (finishing) return;
    finishing = true;
    // Bounded: a stuck close must not keep the worker alive.
    setTimeout(() => process.exit(code), 5_000).unref();
    void (close?.() ?? Promise.resolve()).catch(() => undefined).finally(() => process.exit(code));
  };
  process.on('disconnect', () => finish(0));
  process.on('message', (message: ToWorker) => {
    if (message.type === 'stop') finish(0);
    else if (message.type === 'request') {
      const { id } = message;
      const reply = (outgoing: FromWorker) => process.send?.(outgoing);
      Promise.resolve()
        .then(() => {
          if (!answer) throw new Error('this worker answers no requests');
          return answer(message.body);
        })
        .then(
          (data) => reply({ type: 'answer', id, ok: true, data }),
          (error: unknown) => reply({ type: 'answer', id, ok: false, message: error instanceof Error ? error.message : String(error) }),
        );
    }
  });
  start(input).then(
    (started) => {
      close = started.close;
      answer = started.answer;
      process.send?.({ type: 'ready', data: started.data } satisfies FromWorker);
    },
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.send?.({ type: 'failed', message } satisfies FromWorker, () => finish(1));
    },
  );
}
