import { getBillingWithXeroInvoices } from '../../domain/corporate-billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { corporateBillingDeps } from '../../adapters/wiring/xero';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetBilling', ({ caller }) =>
  getBillingWithXeroInvoices({ ...billingDeps, ...corporateBillingDeps }, caller),
);
