/** The tenancy sweeper (EventBridge schedule → this function): see domain/sweeper.ts. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { systemClock } from '../../domain/clock';
import { sweepTenancies } from '../../domain/sweeper';
import { carparkRepository } from '../../adapters/dynamodb/repositories';
import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { workflowResumer } from '../../adapters/workflows';
import { logger } from '../../http/logger';

export const sweepDeps = { carparks: carparkRepository, tenancies: tenancyRepository, workflows: workflowResumer, clock: systemClock };

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const { resumed } = await sweepTenancies(sweepDeps);
    if (resumed.length > 0) logger.warn('Resumed half-done tenancies', { resumed });
    return { resumed: resumed.length };
  });
