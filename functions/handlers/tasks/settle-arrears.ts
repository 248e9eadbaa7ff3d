import { dunningStepDeps } from '../../adapters/wiring/dunning-steps';
import { settleArrears } from '../../domain/dunning';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('SettleArrears', async (input: { invoiceId: string; userId: string }) => {
  const result = await settleArrears(dunningStepDeps, input);
  countMetric('TenancyReinstated', result.reinstated.length);
  return result;
});
