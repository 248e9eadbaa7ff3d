import { operatorRepository } from '../../adapters/dynamodb/repositories';
import { listOperators } from '../../domain/platform';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListOperators', ({ caller, query }) => listOperators({ operators: operatorRepository }, caller, query));
