import { requestPasswordReset } from '../../domain/accounts';
import { passwordResetDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ForgotPassword', ({ body }) => requestPasswordReset(passwordResetDeps(), body));
