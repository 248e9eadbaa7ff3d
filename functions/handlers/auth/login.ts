import { login } from '../../domain/accounts';
import { loginDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('Login', ({ body }) => login(loginDeps, body));
