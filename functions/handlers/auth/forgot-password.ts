import { requestPasswordReset } from '../../domain/accounts';
import { passwordResetDeps } from '../../adapters/wiring/accounts';
import { requestSource } from '../../http/client-address';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ForgotPassword', async ({ body, event }) => requestPasswordReset(passwordResetDeps(), body, await requestSource(event)));
