import { confirmEmailChange } from '../../domain/accounts';
import { updateUserDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('VerifyEmail', ({ body }) => confirmEmailChange(updateUserDeps(), body));
