/**
 * What the vendor simulators (SmartParking, Xero) share: a reply value, writing it, reading a
 * bounded request body, and comparing secrets in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly contentType?: string;
}

export function write(response: http.ServerResponse, reply: Reply): void {
  if (response.destroyed || response.headersSent) return;
  const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8');
  response.writeHead(reply.status, {
    ...reply.headers,
    ...(reply.contentType && { 'content-type': reply.contentType }),
    'content-length': String(body?.length ?? 0),
  });
  response.end(body);
}

/** The body as text, or `too-large` past `maxBytes` (the rest is read and dropped). */
export function readBody(request: http.IncomingMessage, maxBytes: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A check of a presented secret against the expected one that takes the same time either way. */
export function secretMatcher(expected: string): (presented: string) => boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const expectedDigest = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), expectedDigest);
}
