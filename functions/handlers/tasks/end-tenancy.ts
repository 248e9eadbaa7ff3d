import { endTenancy } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('EndTenancy', (input: { tenancyId: string; cancellationId?: string }) => endTenancy(workflowDeps, input));
