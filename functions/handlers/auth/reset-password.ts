import { resetPassword } from '../../domain/accounts';
import { passwordResetDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ResetPassword', ({ body }) => resetPassword(passwordResetDeps(), body));
