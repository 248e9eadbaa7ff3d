import { statsStore } from '../../adapters/dynamodb/stats-store';
import { operatorRepository } from '../../adapters/dynamodb/repositories';
import { systemClock } from '../../domain/clock';
import { platformDashboard } from '../../domain/platform';
import { httpRoute } from '../../http/route';

const deps = { stats: statsStore, operators: operatorRepository, clock: systemClock };

export const handler = httpRoute('GetPlatformDashboard', ({ caller }) => platformDashboard(deps, caller));
