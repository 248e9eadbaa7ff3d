/**
 * Starts the tenancy workflows on Step Functions. Execution names are derived from the tenancy
 * and the operation, so a duplicate start (a retried request) is the same execution, not a second.
 */
import type * as Sfn from '@aws-sdk/client-sfn';
import type { DunningWorkflow } from '../domain/dunning';
import type { WorkflowResumer } from '../domain/sweeper';
import type { TenancyWorkflows } from '../domain/tenancy-service';
import type { OfferWorkflows } from '../domain/waitlist';
import { ENV, requireEnv, type EnvName } from '../environment';
import { PLATFORM_SOURCE, WAITLIST_OFFER_MADE } from '../events';
import { putEvent } from './event-bus';

// Loaded when a workflow is first started or stopped, not at cold start.
let sfn: Promise<{ sdk: typeof Sfn; client: Sfn.SFNClient }> | undefined;
const loadSfn = () => (sfn ??= import('@aws-sdk/client-sfn').then((sdk) => ({ sdk, client: new sdk.SFNClient({}) })));

async function startExecution(arnEnv: EnvName, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
  const { sdk, client } = await loadSfn();
  try {
    await client.send(new sdk.StartExecutionCommand({ stateMachineArn: requireEnv(arnEnv), name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    // Same name, different input: this operation was already started for this tenancy.
    if (!(error instanceof sdk.ExecutionAlreadyExists)) throw error;
    return 'already_started';
  }
}

/** An execution's ARN follows from its state machine's ARN and its name. */
const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

async function start(arnEnv: EnvName, name: string, input: Record<string, unknown>): Promise<void> {
  await startExecution(arnEnv, name, input);
}

async function stopExecution(arnEnv: EnvName, name: string, cause: string): Promise<void> {
  const { sdk, client } = await loadSfn();
  try {
    await client.send(new sdk.StopExecutionCommand({ executionArn: executionArn(requireEnv(arnEnv), name), cause }));
  } catch (error) {
    // Never started, or ended on its own already.
    if (!(error instanceof sdk.ExecutionDoesNotExist)) throw error;
  }
}

/** Each cancellation of a tenancy is its own execution (names cannot be reused for 90 days). */
const cancellationName = (tenancyId: string, cancellationId: string) => `cancel-${tenancyId}-${cancellationId}`;

/** One execution per offer, named after it: a second start of the same offer is the same execution. */
export const stepFunctionsOffers: OfferWorkflows = {
  startOffer: (offer) => start(ENV.waitlistOfferStateMachineArn, `offer-${offer.offerId}`, { offerId: offer.offerId, expiresAt: offer.expiresAt }),
};

/** An offer announced on the bus (rule OfferMade), whose consumer starts its run as above. */
export const offersOnTheBus: OfferWorkflows = {
  async startOffer(offer) {
    await putEvent(PLATFORM_SOURCE, WAITLIST_OFFER_MADE, JSON.stringify({ offerId: offer.offerId, expiresAt: offer.expiresAt }));
  },
};

export const stepFunctionsWorkflows: TenancyWorkflows = {
  startSetup: (tenancyId, startsAt) =>
    start(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}`, { tenancyId, ...(startsAt ? { startsAt } : {}) }),
  startCancellation: (tenancyId, cancellationId) =>
    start(ENV.tenancyCancellationStateMachineArn, cancellationName(tenancyId, cancellationId), { tenancyId, cancellationId }),
  stopCancellation: (tenancyId, cancellationId, reason) =>
    stopExecution(ENV.tenancyCancellationStateMachineArn, cancellationName(tenancyId, cancellationId), reason),
  // A tenancy can change plate many times (even back to an old one): the time keeps names unique.
  startPlateChange: (tenancyId, plate) =>
    start(ENV.plateChangeStateMachineArn, `plate-${tenancyId}-${plate}-${Date.now()}`, { tenancyId, plate }),
  // The same workflow waits for the paid period's end, then revokes the plate (unless claimed again).
  startPlateRemoval: (tenancyId, plate, until) =>
    start(ENV.plateChangeStateMachineArn, `plate-${tenancyId}-${plate}-removed-${Date.now()}`, { tenancyId, plate, removedUntil: until }),
  startVehicleChange: (tenancyId) => start(ENV.vehicleChangeStateMachineArn, `vehicle-${tenancyId}-${Date.now()}`, { tenancyId }),
  // The setup resumed as the sweeper resumes one past its deadline.
  withdrawUnconfirmed: (tenancyId, invoiceId, at) =>
    start(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}-withdrawn-${invoiceId}`, { tenancyId, authenticationExpiredAt: at }),
};

/**
 * Resumes a tenancy's setup or cancellation for the sweeper: first under the usual name (its
 * start was lost, so the name is free; in the twin, a restart loses executions too), then, if
 * that name was used by an execution that ended without finishing the job, under a name bound
 * to the stuck state, so repeated sweeps of one state start it once.
 */
export const workflowResumer: WorkflowResumer = {
  async resume(kind, tenancyId, stateKey, { cancellationId, startsAt, authenticationExpiredAt } = {}) {
    if (kind === 'setup') {
      return resumeAs(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}`, stateKey, {
        tenancyId,
        ...(startsAt ? { startsAt } : {}),
        ...(authenticationExpiredAt ? { authenticationExpiredAt } : {}),
      });
    }
    // The end step is conditioned on the cancellation it carries (null: a tenancy cancelled before
    // cancellations had ids, ended unconditionally).
    const base = cancellationId ? cancellationName(tenancyId, cancellationId) : `cancel-${tenancyId}`;
    return resumeAs(ENV.tenancyCancellationStateMachineArn, base, stateKey, { tenancyId, cancellationId: cancellationId ?? null });
  },

  // Plate change names carry the time they started; a resumed one carries the state it was found in.
  async resumePlateChange(tenancyId, plate, stateKey, removedUntil) {
    const input = { tenancyId, plate, ...(removedUntil ? { removedUntil } : {}) };
    return (await startExecution(ENV.plateChangeStateMachineArn, `plate-${tenancyId}-${plate}-sweep-${stateKey}`, input)) === 'started';
  },

  // Never under the usual name: the execution that asked may still be finishing (sending the
  // email), and a start with its name and input would be taken for it.
  async continueSetup(tenancyId, invoiceId) {
    return (await startExecution(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}-paid-${invoiceId}`, { tenancyId })) === 'started';
  },
};

async function resumeAs(arnEnv: EnvName, base: string, stateKey: string, input: Record<string, unknown>): Promise<boolean> {
  if ((await startExecution(arnEnv, base, input)) === 'started') return true;
  return (await startExecution(arnEnv, `${base}-sweep-${stateKey}`, input)) === 'started';
}

/** Invoice ids are unique at Stripe: a duplicate `invoice.payment_failed` is the same execution. */
const dunningName = (invoiceId: string) => `dunning-${invoiceId}`;

export const dunningWorkflow: DunningWorkflow = {
  start: ({ invoiceId, customerId }) => startExecution(ENV.invoiceDunningStateMachineArn, dunningName(invoiceId), { invoiceId, customerId }),
  // Never started (the invoice was paid before it failed), or ended on its own already: nothing to stop.
  stop: (invoiceId, reason) => stopExecution(ENV.invoiceDunningStateMachineArn, dunningName(invoiceId), reason),
};
