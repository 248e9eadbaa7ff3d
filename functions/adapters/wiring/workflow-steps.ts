/** Wiring for the workflow task functions: DynamoDB, Stripe, SmartParking and SES. */
import type { WorkflowDeps } from '../../domain/tenancy-workflow';
import { carparkRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';
import { smartParkingBarrier } from '../smartparking/client';
import { billingDeps } from './billing';

export const workflowDeps: WorkflowDeps = {
  ...billingDeps,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  barrier: smartParkingBarrier,
  mailer: sesMailer,
};
