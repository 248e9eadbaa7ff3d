/**
 * Verifies Stripe's `Stripe-Signature` header on the raw request body: `t=<unix>,v1=<hex>[,v1=…]`
 * where v1 = HMAC-SHA256(secret, `${t}.${body}`). The same check as the SDK's
 * `webhooks.constructEvent` (a test proves they agree), without bundling the 240 KB SDK into the
 * function that receives every event.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Stripe's default: events older than five minutes are refused (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureProblem = 'missing_header' | 'malformed_header' | 'stale' | 'mismatch';

export function verifyStripeSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; problem: SignatureProblem } {
  if (!header) return { ok: false, problem: 'missing_header' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value!);
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) return { ok: false, problem: 'malformed_header' };
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, problem: 'stale' };

  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const matches = signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, problem: 'mismatch' };
}
