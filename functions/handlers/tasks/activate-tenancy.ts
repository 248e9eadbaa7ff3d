import { activateTenancy } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('ActivateTenancy', async (input: { tenancyId: string; renewsAt?: string | null }) => {
  const result = await activateTenancy(workflowDeps, input);
  // A retried step finds the tenancy already active: count the activation once.
  if (result.activated) countMetric('TenancyActivated');
  return result;
});
