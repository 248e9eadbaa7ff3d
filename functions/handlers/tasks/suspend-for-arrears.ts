import { dunningDeps } from '../../adapters/wiring/dunning';
import { suspendForArrears } from '../../domain/dunning';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('SuspendForArrears', async (input: { invoiceId: string; userId: string }) => {
  const result = await suspendForArrears(dunningDeps, input);
  countMetric('TenancySuspended', result.suspended.length);
  return result;
});
