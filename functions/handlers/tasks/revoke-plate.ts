import { revokePlate } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RevokePlate', (input: { tenancyId: string; plate?: string }) => revokePlate(workflowDeps, input));
