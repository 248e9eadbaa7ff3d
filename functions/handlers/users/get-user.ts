import { getUser } from '../../domain/accounts';
import { accountDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('GetUser', ({ caller, params }) => getUser(accountDeps, caller, params.userId));
