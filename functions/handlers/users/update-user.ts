import { updateUser } from '../../domain/accounts';
import { accountDeps } from '../../adapters/dependencies';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateUser', ({ caller, params, body }) =>
  updateUser(accountDeps, caller, params.userId, body),
);
