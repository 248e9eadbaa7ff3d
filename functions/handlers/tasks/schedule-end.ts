import { scheduleEnd } from '../../domain/tenancy-workflow';
import { billingWorkflowDeps } from '../../adapters/wiring/workflow-billing';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('ScheduleEnd', (input: { tenancyId: string }) => scheduleEnd(billingWorkflowDeps, input));
