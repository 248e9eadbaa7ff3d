import { revokePlate } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RevokePlate', async (input: { tenancyId: string; plate?: string }) => {
  const result = await revokePlate(workflowDeps, input);
  countMetric('PlateRevoked');
  return result;
});
