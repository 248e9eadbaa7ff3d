import { billingDeps } from '../../adapters/wiring/billing';
import { AuthenticationRequiredError, payInvoiceNow } from '../../domain/pay-now';
import { json } from '../../http/responses';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('PayInvoice', async ({ caller, params }) => {
  try {
    return await payInvoiceNow(billingDeps, caller, params.invoiceId);
  } catch (error) {
    // The one error that carries more than a code and a message: what Stripe.js needs to authenticate.
    if (error instanceof AuthenticationRequiredError) {
      return json(409, { error: { code: error.code, message: error.message, clientSecret: error.clientSecret } });
    }
    throw error;
  }
});
