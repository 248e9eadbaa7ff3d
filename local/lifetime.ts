/**
 * Keeping the twin's processes together: `npm start` is npm → sh → tsx → node (→ java). Signals
 * reach them unevenly (a process manager signals only npm; a closed terminal sends SIGHUP; an
 * IDE may SIGKILL), so besides handling SIGINT, SIGTERM and SIGHUP the twin watches the
 * processes that launched it and stops when any of them is gone, and java is tied to node by the
 * kernel (see dynamodb.ts).
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';

/** The executable's full path if it is on PATH. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Parent pid and command line of a process, from /proc (Linux); undefined elsewhere or when gone. */
function describeProcess(pid: number): { ppid: number; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`; comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { ppid, command };
  } catch {
    return undefined;
  }
}

/** Launchers between a shell (or IDE) and the twin: npm, npx, tsx, and npm's `sh -c`. */
const LAUNCHER = /(^|[\s/])(npm|npx|tsx)([\s]|\.js|\.cjs|\.mjs|$)|^(\/bin\/|\/usr\/bin\/)?(sh|bash|dash) -c /;

/**
 * The chain of launcher processes above this one: always the parent, then each ancestor while it
 * is a launcher (not the user's shell or terminal, which may legitimately outlive us).
 */
export function launcherChain(): { pid: number; ppid: number }[] {
  const parent = describeProcess(process.ppid);
  if (!parent) return []; // no /proc: only the parent itself is watched
  const chain = [{ pid: process.ppid, ppid: parent.ppid }];
  for (;;) {
    const last = chain[chain.length - 1];
    if (!last || last.ppid <= 1) break;
    const parent = describeProcess(last.ppid);
    if (!parent || !LAUNCHER.test(parent.command)) break;
    chain.push({ pid: last.ppid, ppid: parent.ppid });
  }
  return chain;
}

/**
 * Calls `onGone` (once) when a process that launched this one exits: this process is re-parented,
 * or an ancestor launcher disappears or is re-parented. Polls twice a second without keeping the
 * event loop alive; returns a function that stops watching.
 */
export function watchLaunchers(onGone: (description: string) => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const chain = launcherChain();
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : chain.find(({ pid, ppid }) => describeProcess(pid)?.ppid !== ppid)?.pid;
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(`the process that started the twin (pid ${gone}) has exited`);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
