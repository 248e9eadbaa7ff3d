import { login } from '../../domain/accounts';
import { loginDeps } from '../../adapters/wiring/accounts';
import { requestSource } from '../../http/client-address';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('Login', async ({ body, event }) => login(loginDeps, body, await requestSource(event)));
