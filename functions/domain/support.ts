/**
 * The contact form: every message becomes a support ticket and an email to the car park's
 * support address (or the platform's). Bots that fill the hidden field get the same answer and
 * no ticket; a sender is limited to a few messages an hour.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml } from './accounts';
import type { Clock } from './clock';
import { NotFoundError } from './errors';
import { enforceLimits } from './accounts';
import type { CarparkRepository, Mailer, RateLimiter } from './ports';

/** Messages per hour: per sender address, and per recipient (a car park's support address). */
export const CONTACT_LIMIT = { messages: 5, perRecipient: 30, windowMs: 60 * 60 * 1000 };

export interface SupportTicket {
  readonly ticketId: string;
  readonly name: string;
  readonly email: string;
  readonly message: string;
  readonly carparkId?: string;
  readonly sentTo: string;
  readonly createdAt: string;
}

export interface SupportDeps {
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly tickets: { save(ticket: SupportTicket): Promise<void> };
  /** Counts one event for `subject` in the window; returns the count so far. */
  readonly rateLimit: Pick<RateLimiter, 'hit'>;
  readonly mailer: Mailer;
  readonly platformSupportEmail: string;
  readonly clock: Clock;
}

export interface ContactInput {
  readonly name: string;
  readonly email: string;
  readonly message: string;
  readonly carparkId?: string;
  /** The honeypot: people never see it, so never fill it. */
  readonly website?: string;
}

export async function submitContact(deps: SupportDeps, input: ContactInput, sender: { ip: string }): Promise<void> {
  if (input.website) return;
  const now = deps.clock.now();
  const limiter = { ...deps.rateLimit, clear: async () => undefined, release: async () => undefined };
  await enforceLimits(limiter, now, CONTACT_LIMIT.windowMs, [{ subject: `contact#${sender.ip}`, max: CONTACT_LIMIT.messages }], 'Too many messages. Try again later.');
  const carpark = input.carparkId ? await deps.carparks.get(input.carparkId) : undefined;
  if (input.carparkId && !carpark) throw new NotFoundError('Car park');
  const recipient = carpark?.supportEmail ?? deps.platformSupportEmail;
  await enforceLimits(
    limiter,
    now,
    CONTACT_LIMIT.windowMs,
    [{ subject: `contact#recipient#${recipient}`, max: CONTACT_LIMIT.perRecipient }],
    'This address has had too many messages this hour. Try again later.',
  );

  const ticket: SupportTicket = {
    ticketId: `tk_${randomBytes(8).toString('hex')}`,
    name: input.name,
    email: input.email.trim().toLowerCase(),
    message: input.message,
    ...(carpark ? { carparkId: carpark.carparkId } : {}),
    sentTo: recipient,
    createdAt: now.toISOString(),
  };
  await deps.tickets.save(ticket);
  const about = carpark ? ` about ${carpark.name}` : '';
  await deps.mailer.send({
    to: ticket.sentTo,
    subject: `Contact form${about}: ${ticket.name} (${ticket.ticketId})`,
    text: `${ticket.name} <${ticket.email}> wrote${about}:\n\n${ticket.message}\n\nTicket ${ticket.ticketId}. Reply to ${ticket.email}.`,
    html: `<p>${escapeHtml(ticket.name)} &lt;${escapeHtml(ticket.email)}&gt; wrote${escapeHtml(about)}:</p><p>${escapeHtml(ticket.message).replace(/\n/g, '<br>')}</p><p>Ticket ${ticket.ticketId}. Reply to ${escapeHtml(ticket.email)}.</p>`,
  });
}
