import type { SyncMode } from '../../domain/billing';
import { syncTenantBilling } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('SyncBilling', (input: { tenancyId: string; idempotencyKey: string; mode?: SyncMode; credit?: boolean }) => syncTenantBilling(workflowDeps, input));
