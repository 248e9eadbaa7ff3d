/**
 * Stripe's webhook: verify the signature on the raw body, put the event on the bus with
 * detail-type = the Stripe event type, answer 200 at once. Consumers do the work (functions/events.ts).
 * Anything unsigned, tampered, signed with another secret or stale is refused with 400 and
 * nothing reaches the bus.
 */
import { putEvent } from '../../adapters/event-bus';
import { getSecretString } from '../../adapters/secrets';
import { verifyStripeSignature } from '../../adapters/stripe/webhook-signature';
import { InvalidRequestError } from '../../domain/errors';
import { ENV, requireEnv } from '../../environment';
import { STRIPE_WEBHOOK_SOURCE } from '../../events';
import { httpRoute } from '../../http/route';

const MAX_EVENT_BYTES = 256 * 1024;

export const handler = httpRoute('StripeWebhook', async ({ event }) => {
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (rawBody.length > MAX_EVENT_BYTES) throw new InvalidRequestError('event_too_large', 'The event is larger than EventBridge accepts.');
  const secret = await getSecretString(requireEnv(ENV.stripeWebhookSecretId));
  const verified = verifyStripeSignature(rawBody, event.headers['stripe-signature'], secret);
  if (!verified.ok) throw new InvalidRequestError(`signature_${verified.problem}`, 'The Stripe signature is missing or does not verify.');

  let stripeEvent: { id?: unknown; type?: unknown };
  try {
    stripeEvent = JSON.parse(rawBody.toString('utf8')) as typeof stripeEvent;
  } catch {
    throw new InvalidRequestError('malformed_json', 'The event is not valid JSON.');
  }
  if (typeof stripeEvent.id !== 'string' || typeof stripeEvent.type !== 'string') {
    throw new InvalidRequestError('malformed_event', 'The event has no id or type.');
  }
  await putEvent(STRIPE_WEBHOOK_SOURCE, stripeEvent.type, rawBody.toString('utf8'));
  return { received: true, eventId: stripeEvent.id };
});
