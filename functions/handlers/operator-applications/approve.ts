import { approveApplication } from '../../domain/operator-applications';
import { approveDeps } from '../../adapters/wiring/operator-applications';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ApproveOperatorApplication', ({ caller, params }) => approveApplication(approveDeps(), caller, params.applicationId));
