/**
 * The client's address, for per-source limits. Behind CloudFront, API Gateway's source address is
 * CloudFront's edge, so the viewer's address comes from the `CloudFront-Viewer-Address` header
 * (`<ip>:<port>`, IPv6 unbracketed). A client calling the API's own URL could send that header
 * itself, so it is believed only on a request that also carries the origin-verify secret, which
 * only the distribution adds (docs/infrastructure.md). Otherwise: the connection's source address.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestSource } from '../domain/accounts';
import { getSecretString } from '../adapters/secrets';
import { ENV } from '../environment';
import type { HttpEvent } from './route';

export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `203.0.113.7:4455` → `203.0.113.7`; `2001:db8::1:4455` → `2001:db8::1`. */
export function viewerIp(header: string): string | undefined {
  const at = header.lastIndexOf(':');
  const ip = at > 0 ? header.slice(0, at).replace(/^\[|\]$/g, '') : '';
  return /^[0-9a-fA-F.:]{2,45}$/.test(ip) ? ip : undefined;
}

export async function requestSource(event: HttpEvent): Promise<RequestSource> {
  const secretId = process.env[ENV.originVerifySecretId];
  const viewer = event.headers?.[VIEWER_ADDRESS_HEADER];
  const proof = event.headers?.[ORIGIN_VERIFY_HEADER];
  if (secretId && viewer && proof && sameSecret(proof, await getSecretString(secretId))) {
    const ip = viewerIp(viewer);
    if (ip) return { ip };
  }
  return { ip: event.requestContext.http.sourceIp };
}
