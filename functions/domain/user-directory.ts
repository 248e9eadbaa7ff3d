/**
 * The admin's list of user accounts: every account by email, or those whose email or name starts
 * with what was typed, a page at a time. Admins only; everyone else is refused (403).
 */
import { ForbiddenError, ValidationError } from './errors';
import { isAdmin, type Principal } from './identity';
import { normaliseEmail, toPublicUser, type PublicUser, type User } from './users';

export interface UserDirectory {
  /** A page of users in email order (`by: 'email'`, or no prefix) or name order, whose key starts with `prefix`. */
  search(query: { by: 'email' | 'name'; prefix?: string; limit: number; cursor?: string }): Promise<{ items: User[]; nextCursor?: string }>;
}

export interface ListUsersQuery {
  /** The start of the email (any case). */
  readonly email?: string;
  /** The start of the name (any case). */
  readonly name?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export async function listUsers(
  deps: { directory: UserDirectory },
  caller: Principal,
  query: ListUsersQuery,
): Promise<{ items: PublicUser[]; nextCursor?: string }> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only admins can list user accounts.');
  if (query.email !== undefined && query.name !== undefined) {
    throw new ValidationError('Search by email or by name, not both.', [{ path: 'name', message: 'Give either email or name.' }]);
  }
  const search =
    query.name !== undefined
      ? { by: 'name' as const, prefix: query.name }
      : { by: 'email' as const, ...(query.email !== undefined ? { prefix: normaliseEmail(query.email) } : {}) };
  const page = await deps.directory.search({ ...search, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { items: page.items.map(toPublicUser), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
