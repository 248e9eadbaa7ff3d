/**
 * Starts the tenancy workflows on Step Functions. Execution names are derived from the tenancy
 * and the operation, so a duplicate start (a retried request) is the same execution, not a second.
 */
import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { DunningWorkflow } from '../domain/dunning';
import type { WorkflowResumer } from '../domain/sweeper';
import type { TenancyWorkflows } from '../domain/tenancy-service';
import { ENV, requireEnv, type EnvName } from '../environment';

let client: SFNClient | undefined;

async function startExecution(arnEnv: EnvName, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
  client ??= new SFNClient({});
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn: requireEnv(arnEnv), name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    // Same name, different input: this operation was already started for this tenancy.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return 'already_started';
  }
}

/** An execution's ARN follows from its state machine's ARN and its name. */
const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

async function start(arnEnv: EnvName, name: string, input: Record<string, unknown>): Promise<void> {
  await startExecution(arnEnv, name, input);
}

export const stepFunctionsWorkflows: TenancyWorkflows = {
  startSetup: (tenancyId) => start(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}`, { tenancyId }),
  startCancellation: (tenancyId) => start(ENV.tenancyCancellationStateMachineArn, `cancel-${tenancyId}`, { tenancyId }),
  // A tenancy can change plate many times (even back to an old one): the time keeps names unique.
  startPlateChange: (tenancyId, plate) =>
    start(ENV.plateChangeStateMachineArn, `plate-${tenancyId}-${plate}-${Date.now()}`, { tenancyId, plate }),
  startVehicleChange: (tenancyId) => start(ENV.vehicleChangeStateMachineArn, `vehicle-${tenancyId}-${Date.now()}`, { tenancyId }),
};

/**
 * Resumes a tenancy's setup or cancellation for the sweeper: first under the usual name (its
 * start was lost, so the name is free; in the twin, a restart loses executions too), then, if
 * that name was used by an execution that ended without finishing the job, under a name bound
 * to the stuck state, so repeated sweeps of one state start it once.
 */
export const workflowResumer: WorkflowResumer = {
  async resume(kind, tenancyId, stateKey) {
    const [arnEnv, base] =
      kind === 'setup'
        ? [ENV.tenancySetupStateMachineArn, `setup-${tenancyId}`]
        : [ENV.tenancyCancellationStateMachineArn, `cancel-${tenancyId}`];
    if ((await startExecution(arnEnv, base, { tenancyId })) === 'started') return true;
    return (await startExecution(arnEnv, `${base}-sweep-${stateKey}`, { tenancyId })) === 'started';
  },
};

/** Invoice ids are unique at Stripe: a duplicate `invoice.payment_failed` is the same execution. */
const dunningName = (invoiceId: string) => `dunning-${invoiceId}`;

export const dunningWorkflow: DunningWorkflow = {
  start: ({ invoiceId, customerId }) => startExecution(ENV.invoiceDunningStateMachineArn, dunningName(invoiceId), { invoiceId, customerId }),
  async stop(invoiceId, reason) {
    client ??= new SFNClient({});
    try {
      await client.send(
        new StopExecutionCommand({
          executionArn: executionArn(requireEnv(ENV.invoiceDunningStateMachineArn), dunningName(invoiceId)),
          cause: reason,
        }),
      );
    } catch (error) {
      // Never started (the invoice was paid before it failed), or ended on its own already.
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  },
};
