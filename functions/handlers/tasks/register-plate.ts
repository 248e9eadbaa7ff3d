import { registerPlate } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { countMetric } from '../../observability/metrics';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RegisterPlate', async (input: { tenancyId: string; plate?: string }) => {
  const result = await registerPlate(workflowDeps, input);
  countMetric('PlateRegistered');
  return result;
});
