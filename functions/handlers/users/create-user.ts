import { signUp } from '../../domain/accounts';
import { accountDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateUser', ({ body }) => signUp(accountDeps, body));
