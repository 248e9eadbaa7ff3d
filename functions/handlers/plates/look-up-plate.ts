import { lookUpPlate } from '../../domain/plate-lookup';
import { plateLookupDeps } from '../../adapters/wiring/plates';
import { httpRoute } from '../../http/route';

/** A plate has no `%`: one still percent-encoded (a space as `%20`) is decoded; a malformed one is left for the domain to refuse. */
function decoded(plate: string): string {
  if (!plate.includes('%')) return plate;
  try {
    return decodeURIComponent(plate);
  } catch {
    return plate;
  }
}

export const handler = httpRoute('LookUpPlate', ({ caller, params }) => lookUpPlate(plateLookupDeps, caller, decoded(params.plate)));
