import { reconciliationRuns } from '../../adapters/dynamodb/reconciliation-runs';
import { carparkRepository } from '../../adapters/dynamodb/repositories';
import { lastBarrierCheck } from '../../domain/barrier-check';
import { httpRoute } from '../../http/route';

const deps = { carparks: carparkRepository, runs: reconciliationRuns };

export const handler = httpRoute('GetBarrierCheck', ({ caller, params }) => lastBarrierCheck(deps, caller, params.carparkId));
