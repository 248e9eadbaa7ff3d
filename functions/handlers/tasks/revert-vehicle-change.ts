import { revertVehicleChange } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RevertVehicleChange', (input: { tenancyId: string }) => revertVehicleChange(workflowDeps, input));
