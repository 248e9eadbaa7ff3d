import { signUp } from '../../domain/accounts';
import { accountDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('CreateUser', ({ body }) => signUp(accountDeps, body));
