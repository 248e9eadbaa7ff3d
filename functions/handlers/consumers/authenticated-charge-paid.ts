/**
 * `invoice.paid` (EventBridge rule AuthenticatedChargePaid): a tenancy whose first charge waited
 * for the tenant to authenticate it goes on with its setup (see domain/sweeper.ts).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { paymentStore } from '../../adapters/dynamodb/payment-store';
import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { workflowResumer } from '../../adapters/workflows';
import { resumeAuthenticatedSetups } from '../../domain/sweeper';
import { logger } from '../../http/logger';
import { invoiceOf, type InvoiceEvent } from './stripe-event';

export const handler = middy<EventBridgeEvent<string, InvoiceEvent>, { resumed: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const invoice = invoiceOf(event.detail);
    logger.appendKeys({ stripeEventId: event.detail.id, invoiceId: invoice?.invoiceId, customerId: invoice?.customerId });
    if (!invoice) return { resumed: 0 };
    const { resumed } = await resumeAuthenticatedSetups({ payments: paymentStore, tenancies: tenancyRepository, workflows: workflowResumer }, invoice);
    if (resumed.length > 0) logger.info('Setups resumed after an authenticated payment', { resumed });
    return { resumed: resumed.length };
  });
