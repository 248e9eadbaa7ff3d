/**
 * A bounded closed-loop load generator: `concurrency` clients on keep-alive connections, each
 * sending its next request as soon as the last one is answered, until `count` requests are done
 * or the time limit passes. Any answer other than 200 stops the run: it would measure the wrong thing.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  /** One body per client instead: client `i` always sends `bodies[i % bodies.length]`. */
  readonly bodies?: readonly string[];
  /** Sent with every request (a bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly latenciesMs: number[];
  readonly seconds: number;
  /** False when the time limit stopped the run before `count` requests. */
  readonly complete: boolean;
}

export async function runLoad(
  request: LoadRequest,
  options: { count: number; concurrency: number; timeLimitMs: number; requestTimeoutMs: number; agent: http.Agent },
): Promise<LoadResult> {
  const url = new URL(request.path, request.baseUrl);
  const lanes = (request.bodies ?? [request.body]).map((text) => {
    const body = text === undefined ? undefined : Buffer.from(text);
    const headers: http.OutgoingHttpHeaders = { ...request.headers, ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) };
    return { body, headers };
  });
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = started + options.timeLimitMs;
  let issued = 0;

  const once = ({ body, headers }: (typeof lanes)[number]) =>
    new Promise<void>((resolve, reject) => {
      const sentAt = performance.now();
      const outgoing = http.request(
        { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers, agent: options.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            if (response.statusCode !== 200) {
              const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
              reject(new Error(`${request.method} ${url.href} answered ${response.statusCode}: ${text}`));
              return;
            }
            latenciesMs.push(performance.now() - sentAt);
            resolve();
          });
          response.on('error', reject);
        },
      );
      outgoing.setTimeout(options.requestTimeoutMs, () =>
        outgoing.destroy(new Error(`${request.method} ${url.href} took over ${options.requestTimeoutMs} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  // The first failure stops every client, then the run fails with it.
  let failure: unknown;
  const client = async (lane: (typeof lanes)[number]) => {
    while (failure === undefined && issued < options.count && performance.now() < deadline) {
      issued += 1;
      await once(lane).catch((error: unknown) => (failure ??= error));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => client(lanes[i % lanes.length]!)));
  if (failure !== undefined) throw failure;
  return { latenciesMs, seconds: (performance.now() - started) / 1000, complete: latenciesMs.length >= options.count };
}
