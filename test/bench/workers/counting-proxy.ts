/**
 * An HTTP proxy in front of DynamoDB Local that counts requests by operation (the
 * `x-amz-target` header, e.g. `DynamoDB_20120810.GetItem`) and sequential round trips, in two
 * buckets: calls marked with the ORIGIN_HEADER (made while an API request was being answered)
 * and all others (workflows, seeding).
 *
 * Each answer is held back a little, so that calls made together (a Promise.all of two
 * GetItems) are sure to overlap here even on a busy machine and count as one round trip.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../../../local/ports';

export const ORIGIN_HEADER = 'x-bench-origin';
/** How long each answer is held back. */
export const HOLD_MS = 50;

export interface CallCounts {
  readonly total: number;
  readonly roundTrips: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface Snapshot {
  /** Calls carrying ORIGIN_HEADER. */
  readonly request: CallCounts;
  readonly other: CallCounts;
}

export interface CountingProxy {
  readonly url: string;
  /** Counts since the proxy started. */
  snapshot(): Snapshot;
  close(): Promise<void>;
}

/** What happened between two counts. */
export function countsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const byOperation: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after.byOperation).sort(([a], [b]) => a.localeCompare(b))) {
    const delta = count - (before.byOperation[operation] ?? 0);
    if (delta > 0) byOperation[operation] = delta;
  }
  return { total: after.total - before.total, roundTrips: after.roundTrips - before.roundTrips, byOperation };
}

function createCounter() {
  const byOperation: Record<string, number> = {};
  let total = 0;
  let roundTrips = 0;
  let inFlight = 0;
  return {
    /** Counts a call; returns what to run when its answer has gone back. */
    start(operation: string): () => void {
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
      total += 1;
      if (inFlight === 0) roundTrips += 1;
      inFlight += 1;
      return () => (inFlight -= 1);
    },
    counts: (): CallCounts => ({ total, roundTrips, byOperation: { ...byOperation } }),
  };
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const counters = { request: createCounter(), other: createCounter() };

  const server = http.createServer((request, response) => {
    const amzTarget = String(request.headers['x-amz-target'] ?? 'unknown');
    const counter = request.headers[ORIGIN_HEADER] ? counters.request : counters.other;
    const finished = counter.start(amzTarget.slice(amzTarget.lastIndexOf('.') + 1));
    response.once('close', finished);

    const forwarded = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          setTimeout(() => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(chunks));
          }, HOLD_MS),
        );
      },
    );
    forwarded.once('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
    request.pipe(forwarded);
  });

  await listen(server, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    snapshot: () => ({ request: counters.request.counts(), other: counters.other.counts() }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
