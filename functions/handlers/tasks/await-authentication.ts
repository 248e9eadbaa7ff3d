import { awaitAuthentication } from '../../domain/tenancy-workflow';
import { billingWorkflowDeps } from '../../adapters/wiring/workflow-billing';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('AwaitAuthentication', (input: { tenancyId: string; invoiceId: string; expiredAt?: string | null }) =>
  awaitAuthentication(billingWorkflowDeps, input),
);
