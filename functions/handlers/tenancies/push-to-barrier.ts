import { pushToBarrier } from '../../domain/barrier-push';
import { barrierPushDeps } from '../../adapters/wiring/barrier-push';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('PushToBarrier', ({ caller, params }) => pushToBarrier(barrierPushDeps, caller, params.tenancyId));
