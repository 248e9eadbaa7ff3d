import { ensureTenantCustomer } from '../../domain/tenancy-workflow';
import { billingWorkflowDeps } from '../../adapters/wiring/workflow-billing';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('EnsureCustomer', (input: { tenancyId: string }) => ensureTenantCustomer(billingWorkflowDeps, input));
