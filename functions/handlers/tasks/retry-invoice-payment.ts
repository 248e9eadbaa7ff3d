import { dunningDeps } from '../../adapters/wiring/dunning';
import { retryInvoicePayment } from '../../domain/dunning';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('RetryInvoicePayment', (input: { invoiceId: string; userId: string; attempt: number }) =>
  retryInvoicePayment(dunningDeps, input),
);
