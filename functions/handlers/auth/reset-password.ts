import { resetPassword } from '../../domain/accounts';
import { passwordResetDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ResetPassword', ({ body }) => resetPassword(passwordResetDeps(), body));
