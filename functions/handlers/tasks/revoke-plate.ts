import { revokePlate } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RevokePlate', async (input: { tenancyId: string; plate?: string }) => {
  const result = await revokePlate(workflowDeps, input);
  // Not when the plate was left to the tenancy that holds it now.
  if (result.revoked) countMetric('PlateRevoked');
  return result;
});
