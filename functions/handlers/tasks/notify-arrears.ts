import { dunningStepDeps } from '../../adapters/wiring/dunning-steps';
import { notifyArrears, type DunningNotice, type NextAttempt } from '../../domain/dunning';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask(
  'NotifyArrears',
  (input: { invoiceId: string; userId: string; template: DunningNotice; next?: NextAttempt | null }) => notifyArrears(dunningStepDeps, input),
);
