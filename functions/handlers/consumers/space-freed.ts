/**
 * `carpark.space_freed` (EventBridge rule SpaceFreed, put when a tenancy ends or fails, a booking is
 * withdrawn or a capacity raised): the free spaces of that type go to the waitlist, first in line
 * first. Safe to run twice: each offer takes a free space in its own transaction.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { waitlistDeps } from '../../adapters/wiring/waitlist';
import { VEHICLE_TYPES, type VehicleType } from '../../domain/carparks';
import { offerFreeSpaces } from '../../domain/waitlist';
import { logger } from '../../http/logger';

const isVehicleType = (value: unknown): value is VehicleType => VEHICLE_TYPES.includes(value as VehicleType);

export const handler = middy<EventBridgeEvent<string, { carparkId?: unknown; vehicleType?: unknown }>, { offered: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { carparkId, vehicleType } = event.detail;
    if (typeof carparkId !== 'string' || !isVehicleType(vehicleType)) {
      logger.warn('A freed space without its car park or vehicle type; ignored');
      return { offered: 0 };
    }
    logger.appendKeys({ carparkId, vehicleType });
    const offered = await offerFreeSpaces(waitlistDeps, carparkId, vehicleType);
    if (offered > 0) logger.info('Offered freed spaces to the waitlist', { offered });
    return { offered };
  });
