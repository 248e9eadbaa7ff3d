import { lookUpPlate } from '../../domain/plate-lookup';
import { plateLookupDeps } from '../../adapters/wiring/plates';
import { decodedPathParam } from '../../http/path-params';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('LookUpPlate', ({ caller, params }) => lookUpPlate(plateLookupDeps, caller, decodedPathParam(params.plate)));
