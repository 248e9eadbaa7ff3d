import { commitVehicleChange } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('CommitVehicleChange', (input: { tenancyId: string }) => commitVehicleChange(workflowDeps, input));
