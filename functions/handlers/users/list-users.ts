import { listUsers } from '../../domain/user-directory';
import { userDirectoryDeps } from '../../adapters/wiring/users';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('ListUsers', ({ caller, query }) => listUsers(userDirectoryDeps, caller, query));
