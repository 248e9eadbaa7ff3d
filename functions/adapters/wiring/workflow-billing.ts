/** Wiring for the billing steps of the workflows (customer, subscription, scheduled end): also Stripe. */
import type { WorkflowDeps } from '../../domain/tenancy-workflow';
import { billingDeps } from './billing';
import { workflowDeps } from './workflow-steps';

export const billingWorkflowDeps: WorkflowDeps = { ...workflowDeps, ...billingDeps };
