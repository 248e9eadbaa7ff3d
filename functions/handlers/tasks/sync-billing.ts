import type { SyncMode } from '../../domain/billing';
import { syncTenantBilling } from '../../domain/tenancy-workflow';
import { billingWorkflowDeps } from '../../adapters/wiring/workflow-billing';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('SyncBilling', (input: { tenancyId: string; idempotencyKey: string; mode?: SyncMode; credit?: boolean }) => syncTenantBilling(billingWorkflowDeps, input));
