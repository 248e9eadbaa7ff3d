import { login } from '../../domain/accounts';
import { loginDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('Login', ({ body }) => login(loginDeps, body));
