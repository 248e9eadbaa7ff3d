import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, verifyStripeSignature } from '../../functions/adapters/stripe/webhook-signature';

const stripe = new Stripe('sk_test_unused');
const secret = 'whsec_test_secret';
const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
const now = Math.floor(Date.now() / 1000);
const header = (overrides: { secret?: string; timestamp?: number; payload?: string } = {}) =>
  stripe.webhooks.generateTestHeaderString({
    payload: overrides.payload ?? payload,
    secret: overrides.secret ?? secret,
    timestamp: overrides.timestamp ?? now,
  });

describe('Stripe webhook signatures', () => {
  it('accepts what Stripe signs, exactly as the SDK does', () => {
    const signed = header();
    expect(verifyStripeSignature(Buffer.from(payload), signed, secret, now)).toEqual({ ok: true });
    expect(() => stripe.webhooks.constructEvent(payload, signed, secret)).not.toThrow();
  });

  it.each([
    ['a tampered body', () => verifyStripeSignature(Buffer.from(payload.replace('in_1', 'in_2')), header(), secret, now), 'mismatch'],
    ['another secret', () => verifyStripeSignature(Buffer.from(payload), header({ secret: 'whsec_other' }), secret, now), 'mismatch'],
    ['a stale timestamp', () => verifyStripeSignature(Buffer.from(payload), header({ timestamp: now - SIGNATURE_TOLERANCE_SECONDS - 1 }), secret, now), 'stale'],
    ['no header', () => verifyStripeSignature(Buffer.from(payload), undefined, secret, now), 'missing_header'],
    ['a header without v1', () => verifyStripeSignature(Buffer.from(payload), `t=${now}`, secret, now), 'malformed_header'],
  ])('refuses %s, as the SDK would', (_case, verify, problem) => {
    expect(verify()).toEqual({ ok: false, problem });
  });

  it('accepts any of several v1 signatures (Stripe sends one per active secret while rolling)', () => {
    const good = header().split(',').find((p) => p.startsWith('v1='))!;
    expect(verifyStripeSignature(Buffer.from(payload), `t=${now},v1=${'0'.repeat(64)},${good}`, secret, now)).toEqual({ ok: true });
  });
});
