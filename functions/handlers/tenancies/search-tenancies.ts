import { platesAtCarpark, tenanciesWithTenants, tenantsByIds } from '../../adapters/dynamodb/plate-sightings';
import { carparkRepository, userDirectory } from '../../adapters/dynamodb/repositories';
import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { searchTenancies } from '../../domain/tenancy-search';
import { httpRoute } from '../../http/route';

const deps = {
  carparks: carparkRepository,
  tenancies: tenancyRepository,
  directory: userDirectory,
  plates: platesAtCarpark,
  tenanciesWithTenants,
  users: tenantsByIds,
};

export const handler = httpRoute('SearchTenancies', ({ caller, query }) => searchTenancies(deps, caller, query));
