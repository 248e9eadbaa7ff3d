import { ensureTenantCustomer } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('EnsureCustomer', (input: { tenancyId: string }) => ensureTenantCustomer(workflowDeps, input));
