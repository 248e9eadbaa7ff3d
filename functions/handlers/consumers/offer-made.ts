/**
 * `waitlist.offer_made` (EventBridge rule OfferMade, put by the lapse step when it passed a space
 * on): starts the new offer's run. Named after the offer, so a redelivery starts nothing twice.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { stepFunctionsOffers } from '../../adapters/workflows';
import { logger } from '../../http/logger';

export const handler = middy<EventBridgeEvent<string, { offerId?: unknown; expiresAt?: unknown }>, { started: boolean }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { offerId, expiresAt } = event.detail;
    if (typeof offerId !== 'string' || typeof expiresAt !== 'string') {
      logger.warn('An offer without its id or deadline; ignored');
      return { started: false };
    }
    logger.appendKeys({ offerId });
    await stepFunctionsOffers.startOffer({ offerId, expiresAt });
    return { started: true };
  });
