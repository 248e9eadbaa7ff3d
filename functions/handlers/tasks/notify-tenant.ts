import { notifyTenant, type TenancyEmail } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('NotifyTenant', (input: { tenancyId: string; template: TenancyEmail }) =>
  notifyTenant(workflowDeps, input),
);
