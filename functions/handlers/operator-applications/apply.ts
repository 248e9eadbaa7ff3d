import { applyToOperate } from '../../domain/operator-applications';
import { applyDeps } from '../../adapters/wiring/operator-applications';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ApplyToOperate', ({ caller, body }) => applyToOperate(applyDeps(), caller, body));
