import { billingDeps } from '../../adapters/wiring/billing';
import { invoicePayment } from '../../domain/invoice-payment';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetInvoicePayment', async ({ caller, params }) => invoicePayment(billingDeps, caller, params.invoiceId));
