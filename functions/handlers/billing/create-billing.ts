import { ensureCustomer, getBillingOverview } from '../../domain/billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { httpRoute } from '../../http/route';

/** Idempotent: a second call finds the customer already recorded and returns it. */
export const handler = httpRoute('CreateBilling', async ({ caller }) => {
  await ensureCustomer(billingDeps, caller.userId);
  return getBillingOverview(billingDeps, caller);
});
