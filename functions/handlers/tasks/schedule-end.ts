import { scheduleEnd } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('ScheduleEnd', (input: { tenancyId: string }) => scheduleEnd(workflowDeps, input));
