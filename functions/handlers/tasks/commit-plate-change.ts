import { commitPlateChange } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('CommitPlateChange', (input: { tenancyId: string }) => commitPlateChange(workflowDeps, input));
