import { dunningDeps } from '../../adapters/wiring/dunning';
import { settleArrears } from '../../domain/dunning';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('SettleArrears', async (input: { invoiceId: string; userId: string }) => {
  const result = await settleArrears(dunningDeps, input);
  countMetric('TenancyReinstated', result.reinstated.length);
  return result;
});
