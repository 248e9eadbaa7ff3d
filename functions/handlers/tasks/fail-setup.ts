import { failSetup, type CaughtError } from '../../domain/tenancy-workflow';
import { workflowDeps } from '../../adapters/wiring/workflow-steps';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('FailSetup', (input: { tenancyId: string; error?: CaughtError }) => failSetup(workflowDeps, input));
