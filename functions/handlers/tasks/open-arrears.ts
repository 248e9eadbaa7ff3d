import { dunningDeps } from '../../adapters/wiring/dunning';
import { openArrears } from '../../domain/dunning';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('OpenArrears', (input: { invoiceId: string; customerId: string }) => openArrears(dunningDeps, input));
