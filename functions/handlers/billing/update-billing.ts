import { updateBilling } from '../../domain/billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateBilling', ({ caller, body }) => updateBilling(billingDeps, caller, body));
