import { beginTenancy } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('BeginTenancy', (input: { tenancyId: string }) => beginTenancy(workflowDeps, input));
