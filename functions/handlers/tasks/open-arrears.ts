import { dunningDeps } from '../../adapters/wiring/dunning';
import { openArrears } from '../../domain/dunning';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('OpenArrears', async (input: { invoiceId: string; customerId: string }) => {
  const result = await openArrears(dunningDeps, input);
  // Once per invoice: StartExecution answers a repeated start of a running execution as a success.
  if (result.state === 'open' && result.created) countMetric('InvoicePaymentFailed');
  return result;
});
