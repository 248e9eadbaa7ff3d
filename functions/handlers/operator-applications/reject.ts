import { rejectApplication } from '../../domain/operator-applications';
import { decideDeps } from '../../adapters/wiring/operator-applications';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('RejectOperatorApplication', ({ caller, params, body }) => rejectApplication(decideDeps(), caller, params.applicationId, body));
