/** Wiring for plate look-up: DynamoDB only. */
import type { PlateLookupDeps } from '../../domain/plate-lookup';
import { plateSightings, tenanciesWithTenants, tenantsByIds } from '../dynamodb/plate-sightings';

export const plateLookupDeps: PlateLookupDeps = {
  plateSightings,
  tenanciesWithTenants,
  users: tenantsByIds,
};
