import { registerPlate } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RegisterPlate', (input: { tenancyId: string; plate?: string }) => registerPlate(workflowDeps, input));
