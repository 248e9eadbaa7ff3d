import { myApplication } from '../../domain/operator-applications';
import { applicationReads } from '../../adapters/wiring/operator-applications';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetMyOperatorApplication', ({ caller }) => myApplication(applicationReads, caller));
