/**
 * Starts the tenancy workflows on Step Functions. Execution names are derived from the tenancy
 * and the operation, so a duplicate start (a retried request) is the same execution, not a second.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { TenancyWorkflows } from '../domain/tenancy-service';
import { ENV, requireEnv, type EnvName } from '../environment';

let client: SFNClient | undefined;

async function start(arnEnv: EnvName, name: string, input: Record<string, unknown>): Promise<void> {
  client ??= new SFNClient({});
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn: requireEnv(arnEnv), name, input: JSON.stringify(input) }));
  } catch (error) {
    // Same name, different input: this operation was already started for this tenancy.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

export const stepFunctionsWorkflows: TenancyWorkflows = {
  startSetup: (tenancyId) => start(ENV.tenancySetupStateMachineArn, `setup-${tenancyId}`, { tenancyId }),
  startCancellation: (tenancyId) => start(ENV.tenancyCancellationStateMachineArn, `cancel-${tenancyId}`, { tenancyId }),
  // A tenancy can change plate many times (even back to an old one): the time keeps names unique.
  startPlateChange: (tenancyId, plate) =>
    start(ENV.plateChangeStateMachineArn, `plate-${tenancyId}-${plate}-${Date.now()}`, { tenancyId, plate }),
  startVehicleChange: (tenancyId) => start(ENV.vehicleChangeStateMachineArn, `vehicle-${tenancyId}-${Date.now()}`, { tenancyId }),
};
