/**
 * Paying an open invoice now, from the portal's "pay now" action: the tenant's own invoice, with
 * the card on file. Settlement is not done here: Stripe's `invoice.paid` event flows into the
 * same settlement as any other payment (arrears settled, tenancies reinstated).
 */
import { PaymentDeclinedError, type BillingRepository, type InvoiceSummary, type PaymentGateway } from './billing';
import type { Clock } from './clock';
import { ConflictError, NotFoundError } from './errors';
import type { Principal } from './identity';

export interface PayNowDeps {
  readonly billing: Pick<BillingRepository, 'get'>;
  readonly payments: Pick<PaymentGateway, 'getInvoice' | 'getCustomer' | 'attemptPayment'>;
  readonly clock: Clock;
}

/**
 * Attempts with the same invoice and card within this window share an idempotency key: a double
 * click charges once, and a retry a few minutes later is a new attempt.
 */
export const PAY_NOW_WINDOW_MS = 10 * 60 * 1000;

/** The card asks the cardholder to authenticate; the portal completes it with Stripe.js. */
export class AuthenticationRequiredError extends ConflictError {
  constructor(
    readonly clientSecret: string | null,
    message: string,
  ) {
    super('authentication_required', message);
  }
}

export async function payInvoiceNow(deps: PayNowDeps, caller: Principal, invoiceId: string): Promise<{ invoice: InvoiceSummary }> {
  const account = await deps.billing.get(caller.userId);
  const invoice = account?.customerId ? await deps.payments.getInvoice(invoiceId) : undefined;
  // Another customer's invoice is as good as missing.
  if (!account?.customerId || !invoice || invoice.customerId !== account.customerId) throw new NotFoundError('Invoice');
  if (invoice.status !== 'open') {
    throw new ConflictError('invoice_not_open', `This invoice is ${invoice.status ?? 'not finalised'}: there is nothing to pay.`);
  }
  const card = (await deps.payments.getCustomer(account.customerId))?.defaultCard;
  if (!card) throw new ConflictError('payment_method_required', 'Add a card to your account first, then pay the invoice.');

  const window = Math.floor(deps.clock.now().getTime() / PAY_NOW_WINDOW_MS);
  const attempt = await deps.payments.attemptPayment(invoiceId, card.paymentMethodId, `pay-now-${invoiceId}-${card.paymentMethodId}-${window}`);
  switch (attempt.outcome) {
    case 'paid':
      return { invoice: attempt.invoice };
    case 'declined':
      throw new PaymentDeclinedError(attempt.message);
    case 'authentication_required':
      throw new AuthenticationRequiredError(attempt.clientSecret, attempt.message || 'Your bank asks you to confirm this payment.');
    case 'not_open':
      throw new ConflictError('invoice_not_open', `This invoice is ${attempt.status ?? 'no longer open'}: there is nothing to pay.`);
  }
}
