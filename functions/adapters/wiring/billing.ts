/** Wiring for the billing routes and billing steps: DynamoDB and Stripe. */
import type { BillingDeps } from '../../domain/billing';
import { systemClock } from '../../domain/clock';
import { billingRepository } from '../dynamodb/billing-repository';
import { userRepository } from '../dynamodb/repositories';
import { stripeGateway } from '../stripe/gateway';

export const billingDeps: BillingDeps = {
  billing: billingRepository,
  payments: stripeGateway,
  users: userRepository,
  clock: systemClock,
};
