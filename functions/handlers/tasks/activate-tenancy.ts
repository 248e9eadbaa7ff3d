import { activateTenancy } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('ActivateTenancy', (input: { tenancyId: string }) => activateTenancy(workflowDeps, input));
