import { createSetupIntent } from '../../domain/billing';
import { billingDeps } from '../../adapters/wiring/billing';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateSetupIntent', ({ caller }) => createSetupIntent(billingDeps, caller));
