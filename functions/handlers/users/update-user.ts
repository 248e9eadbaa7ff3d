import { updateUser } from '../../domain/accounts';
import { accountDeps } from '../../adapters/wiring/accounts';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('UpdateUser', ({ caller, params, body }) =>
  updateUser(accountDeps, caller, params.userId, body),
);
