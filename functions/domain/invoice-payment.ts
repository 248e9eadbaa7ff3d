/**
 * What the browser needs to authenticate the payment of one of the tenant's invoices (SCA,
 * 3-D Secure): the payment's client secret for Stripe.js, and the invoice's amount and status so
 * the page can say what is being paid and when it is done.
 */
import type { BillingRepository, PaymentGateway } from './billing';
import { NotFoundError } from './errors';
import type { Principal } from './identity';

export interface InvoicePaymentDeps {
  readonly billing: Pick<BillingRepository, 'get'>;
  readonly payments: Pick<PaymentGateway, 'getInvoice' | 'paymentClientSecret' | 'getCustomer'>;
}

export interface InvoicePayment {
  readonly invoiceId: string;
  readonly number: string | null;
  /** Stripe's invoice status: `open` still to pay; `paid` done. */
  readonly status: string | null;
  readonly amountDue: number;
  readonly amountRemaining: number;
  readonly currency: string;
  /** The payment's client secret while the invoice is open (for Stripe.js), else null. */
  readonly clientSecret: string | null;
  /**
   * The card on file, which the browser names when it confirms the payment (after a failed check
   * Stripe no longer holds a card on the payment); null when there is none or nothing to pay.
   */
  readonly card: { readonly paymentMethodId: string; readonly brand: string; readonly last4: string } | null;
}

export async function invoicePayment(deps: InvoicePaymentDeps, caller: Principal, invoiceId: string): Promise<InvoicePayment> {
  const account = await deps.billing.get(caller.userId);
  const invoice = account?.customerId ? await deps.payments.getInvoice(invoiceId) : undefined;
  // Another customer's invoice is as good as missing.
  if (!account?.customerId || !invoice || invoice.customerId !== account.customerId) throw new NotFoundError('Invoice');
  const clientSecret = invoice.status === 'open' ? await deps.payments.paymentClientSecret(invoiceId) : null;
  const onFile = clientSecret ? (await deps.payments.getCustomer(account.customerId))?.defaultCard : undefined;
  return {
    invoiceId: invoice.invoiceId,
    number: invoice.number,
    status: invoice.status,
    amountDue: invoice.amountDue,
    amountRemaining: invoice.amountRemaining,
    currency: invoice.currency,
    clientSecret,
    card: onFile ? { paymentMethodId: onFile.paymentMethodId, brand: onFile.brand, last4: onFile.last4 } : null,
  };
}
