import { listApplications } from '../../domain/operator-applications';
import { applicationReads } from '../../adapters/wiring/operator-applications';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListOperatorApplications', ({ caller, query }) => listApplications(applicationReads, caller, query));
