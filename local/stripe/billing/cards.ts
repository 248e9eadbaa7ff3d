import type { App } from '../app';
import { cardDeclined } from '../http/errors';
import { paymentMethodTemplate, type CardSpec } from '../objects/templates';
import type { Rec } from '../store';
import type { JsonObject } from '../types';

/**
 * `auth_always`: every payment asks the cardholder to authenticate (3-D Secure), on or off
 * session. `auth_unless_setup`: off-session payments ask for it unless the card was set up for
 * future payments (a SetupIntent with `usage: off_session` succeeded on it). `auth_on_session`:
 * set up already, so off-session payments go through.
 */
export type CardBehavior = 'ok' | 'charge_fails' | 'attach_fails' | 'auth_always' | 'auth_unless_setup' | 'auth_on_session';

interface TestCard extends CardSpec {
  behavior: CardBehavior;
  declineCode?: string;
  message?: string;
  /** Setting it up (SetupIntent confirmation) asks for 3-D Secure first. */
  authenticatesAtSetup?: boolean;
}

const visa = (last4: string, fingerprint: string): CardSpec => ({ brand: 'visa', last4, fingerprint, funding: 'credit', country: 'US' });

/**
 * Stripe's test PaymentMethod tokens. Using one (attach, confirm, customer create) makes a NEW
 * `pm_...` copying the card, as Stripe does.
 */
export const TEST_TOKENS: Record<string, TestCard> = {
  pm_card_visa: { ...visa('4242', 'Xt5EWLLDS7FJjR1c'), behavior: 'ok' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', fingerprint: 'Mg7oIgJ5sp2LwE7d', funding: 'credit', country: 'US', behavior: 'ok' },
  pm_card_amex: { brand: 'amex', last4: '8431', fingerprint: 'Ax3k9QpV1sWz0bLr', funding: 'credit', country: 'US', behavior: 'ok' },
  // Attaching succeeds, every charge is declined.
  pm_card_chargeCustomerFail: { ...visa('0341', 'Cf0341fPq7LmZx2a'), behavior: 'charge_fails', declineCode: 'generic_decline', message: 'Your card was declined.' },
  // Declined as soon as it is attached or set up.
  pm_card_chargeDeclined: { ...visa('0002', 'Dc0002aB3nM9kT1w'), behavior: 'attach_fails', declineCode: 'generic_decline', message: 'Your card was declined.' },
  // Stripe's authentication test cards (4000 0027 6000 3184, 4000 0025 0000 3155, 4000 0038 0000 0446).
  pm_card_authenticationRequired: { ...visa('3184', 'Ar3184qW8eRt6yUi'), behavior: 'auth_always' },
  pm_card_authenticationRequiredSetupForOffSession: { ...visa('0446', 'Ao0446jK7lZx9cVb'), behavior: 'auth_on_session' },
  pm_card_chargeDeclinedInsufficientFunds: {
    ...visa('9995', 'If9995hJ2kL8mN4p'),
    behavior: 'attach_fails',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  // 4000 0025 0000 3155: 3-D Secure when set up; once set up for off-session use, charges succeed.
  // Off-session charges ask for authentication until it is set up for them (auth_unless_setup).
  pm_card_authenticationRequiredOnSetup: { ...visa('3155', 'Au3155sEtUp0ff5e'), behavior: 'auth_unless_setup', authenticatesAtSetup: true },
};

export function isTestToken(id: string): boolean {
  return Object.hasOwn(TEST_TOKENS, id);
}

/** Creates the concrete PaymentMethod a test token stands for (unattached). */
export function materializeToken(app: App, token: string, at: number): Rec {
  const card = TEST_TOKENS[token];
  if (!card) throw new Error(`not a test token: ${token}`);
  const rec: Rec = paymentMethodTemplate(card, { id: app.store.newId('payment_method'), created: at });
  rec.__behavior = card.behavior;
  rec.__decline_code = card.declineCode ?? null;
  rec.__decline_message = card.message ?? null;
  if (card.authenticatesAtSetup) rec.__authenticates_at_setup = true;
  return app.store.insert('payment_method', rec);
}

export type ChargeOutcome = { ok: true } | { ok: false; declineCode: string; message: string; requiresAction?: true };

/**
 * What a charge on this PaymentMethod does (deterministic, from the test card it came from).
 * Invoice payments are off-session (the customer is not there), as `invoices.pay` and
 * subscription charges default to.
 */
export function chargeOutcome(pm: Rec, offSession = true): ChargeOutcome {
  if (pm.__behavior === 'ok' || pm.__behavior === undefined) return { ok: true };
  const authentication = { ok: false as const, requiresAction: true as const, declineCode: 'authentication_required', message: 'This payment requires additional user action before it can be completed successfully.' };
  if (pm.__behavior === 'auth_always') return authentication;
  if (pm.__behavior === 'auth_unless_setup') return offSession && pm.__setup_for_off_session === true ? { ok: true } : authentication;
  if (pm.__behavior === 'auth_on_session') return offSession ? { ok: true } : authentication;
  return {
    ok: false,
    declineCode: String(pm.__decline_code ?? 'generic_decline'),
    message: String(pm.__decline_message ?? 'Your card was declined.'),
  };
}

/** Cards that are declined at attach / setup time raise a card_error like Stripe's. */
export function checkAttachable(pm: Rec, extra?: JsonObject): void {
  if (pm.__behavior !== 'attach_fails') return;
  const outcome = chargeOutcome(pm);
  if (!outcome.ok) throw cardDeclined(outcome.declineCode, outcome.message, extra);
}
