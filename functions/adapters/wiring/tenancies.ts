/** Wiring for the tenancy routes: DynamoDB and Step Functions (Stripe and SmartParking are the workflows'). */
import { systemClock } from '../../domain/clock';
import type { TenancyDeps } from '../../domain/tenancy-service';
import { billingRepository } from '../dynamodb/billing-repository';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { spaceReleasesOnTheBus } from '../space-releases';
import { stepFunctionsWorkflows } from '../workflows';

export const tenancyDeps: TenancyDeps = {
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  billing: billingRepository,
  users: userRepository,
  workflows: stepFunctionsWorkflows,
  clock: systemClock,
  spaces: spaceReleasesOnTheBus,
};
