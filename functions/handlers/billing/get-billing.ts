import { getBillingOverview } from '../../domain/billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetBilling', ({ caller }) => getBillingOverview(billingDeps, caller));
