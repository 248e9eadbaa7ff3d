/**
 * Execution names of resumed setups. Step Functions takes a start with a running execution's
 * name and input for that execution (idempotent start) and starts nothing: a setup resumed after
 * its first charge was paid must never reuse the name of the execution that asked for it, which
 * may still be finishing.
 */
import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workflowResumer } from '../../functions/adapters/workflows';
import { ENV } from '../../functions/environment';

const SETUP_ARN = 'arn:aws:states:eu-west-2:000000000000:stateMachine:TenancySetup';

describe('resuming a setup', () => {
  const sfn = mockClient(SFNClient);
  const started: string[] = [];
  beforeEach(() => {
    process.env[ENV.tenancySetupStateMachineArn] = SETUP_ARN;
    started.length = 0;
    sfn.reset();
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      started.push(input.name);
      // The asking execution is still running: its own name is answered as if started.
      return { executionArn: `${SETUP_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date() };
    });
  });
  afterEach(() => sfn.reset());

  it('after the first charge is paid starts an execution of its own, even while the one that asked still runs', async () => {
    expect(await workflowResumer.continueSetup('tn_1', 'in_1')).toBe(true);
    expect(started).toEqual(['setup-tn_1-paid-in_1']);
  });

  it('once per invoice: a second delivery of the payment starts nothing new', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    expect(await workflowResumer.continueSetup('tn_1', 'in_1')).toBe(false);
  });
});
