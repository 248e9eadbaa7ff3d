import { statsStore } from '../../adapters/dynamodb/stats-store';
import { systemClock } from '../../domain/clock';
import { operatorDashboard } from '../../domain/dashboard';
import { httpRoute } from '../../http/route';

const deps = { stats: statsStore, clock: systemClock };

export const handler = httpRoute('GetDashboard', ({ caller, params, query }) => operatorDashboard(deps, caller, params.operatorId, query.carparkId));
