/** Port helpers: listening with a clear message when the port is taken, and polling for readiness. */
import net from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`Port ${port} on ${host} is already in use. Stop whatever is using it, or choose another port.`);
    this.name = 'PortInUseError';
  }
}

/**
 * Ports that browsers and Node's `fetch` refuse to connect to (the Fetch standard's "bad ports"):
 * a twin service there could not be called by the web site or by the other services.
 */
export const BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548,
  554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
  6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Fails with PortInUseError when something already listens on the port. */
export async function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  const probe = net.createServer();
  await listen(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/**
 * Ports handed out for a process that binds them later. They come from below the kernels' ephemeral
 * ranges (Linux 32768–60999, macOS and Windows 49152–65535): a port the kernel chose (`listen(0)`, the
 * local end of any outgoing connection) could be taken by another process between this check and
 * the bind, and with test files running side by side that happens.
 */
export const HANDED_OUT_PORTS = { from: 20_000, to: 32_767 } as const;

/** A port nothing listens on now, from HANDED_OUT_PORTS, picked at random so concurrent callers rarely meet. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const { from, to } = HANDED_OUT_PORTS;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (BAD_PORTS.has(port)) continue;
    const probe = net.createServer();
    try {
      await listen(probe, port, host);
    } catch (error) {
      if (error instanceof PortInUseError) continue;
      throw error;
    }
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }
  throw new Error(`No free port between ${from} and ${to} on ${host} after 100 tries`);
}

/**
 * Polls `probe` until it yields a value (anything but undefined or false) and returns it; rejects
 * with `describeFailure()` after the timeout.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false>,
  { timeoutMs, intervalMs = 50, describeFailure }: { timeoutMs: number; intervalMs?: number; describeFailure: () => string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(describeFailure());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
