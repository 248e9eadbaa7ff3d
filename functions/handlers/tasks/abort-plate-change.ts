import { abortPlateChange } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('AbortPlateChange', (input: { tenancyId: string }) => abortPlateChange(workflowDeps, input));
