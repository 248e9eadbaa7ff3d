/** Space releases as events on the bus: the SpaceFreed rule offers the space to the waitlist. */
import type { SpaceReleases } from '../domain/waitlist';
import { CARPARK_SPACE_FREED, PLATFORM_SOURCE } from '../events';
import { logger } from '../http/logger';
import { putEvent } from './event-bus';

export const spaceReleasesOnTheBus: SpaceReleases = {
  async freed(carparkId, vehicleType) {
    // The space is given back already: a bus that refuses the event leaves it to the sweep (every
    // 5 minutes), and must not fail the step or the request that freed it.
    await putEvent(PLATFORM_SOURCE, CARPARK_SPACE_FREED, JSON.stringify({ carparkId, vehicleType })).catch((error: unknown) =>
      logger.error('Could not announce a freed space; the waitlist sweep will offer it', { carparkId, vehicleType, error }),
    );
  },
};
