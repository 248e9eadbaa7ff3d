/** Wiring for creating and repricing car parks, which keeps their Stripe prices. */
import type { CarparkWriteDeps } from '../../domain/carpark-admin';
import { CARPARK_PRICES_CHANGED, PLATFORM_SOURCE } from '../../events';
import { logger } from '../../http/logger';
import { putEvent } from '../event-bus';
import { spaceReleasesOnTheBus } from '../space-releases';
import { stripeGateway } from '../stripe/gateway';
import { carparkDeps } from './carparks';

export const carparkWriteDeps: CarparkWriteDeps = {
  ...carparkDeps,
  payments: stripeGateway,
  spaces: spaceReleasesOnTheBus,
  priceChanges: {
    async announce(carparkId) {
      // The prices are saved already: a bus that refuses the event delays the tenancies' move to
      // the nightly run, and must not turn the operator's saved change into an error.
      await putEvent(PLATFORM_SOURCE, CARPARK_PRICES_CHANGED, JSON.stringify({ carparkId })).catch((error: unknown) =>
        logger.error('Could not announce the price change; the nightly repricing will take it', { carparkId, error }),
      );
    },
  },
};
