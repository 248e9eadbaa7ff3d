import { updateUser } from '../../domain/accounts';
import { updateUserDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateUser', ({ caller, params, body }) =>
  updateUser(updateUserDeps(), caller, params.userId, body),
);
