/** Wiring for dunning (tasks and consumers): DynamoDB, Stripe, SmartParking, SES, Step Functions. */
import type { DunningDeps } from '../../domain/dunning';
import { stripeGateway } from '../stripe/gateway';
import { dunningWorkflow } from '../workflows';
import { dunningStepDeps } from './dunning-steps';

export const dunningDeps: DunningDeps = { ...dunningStepDeps, gateway: stripeGateway };

/** The settlement consumer also stops the invoice's execution. */
export const settlementDeps = { ...dunningDeps, workflow: dunningWorkflow };
