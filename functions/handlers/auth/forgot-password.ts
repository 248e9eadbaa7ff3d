import { requestPasswordReset } from '../../domain/accounts';
import { passwordResetDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ForgotPassword', ({ body }) => requestPasswordReset(passwordResetDeps(), body));
