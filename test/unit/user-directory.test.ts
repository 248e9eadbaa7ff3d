import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../functions/domain/errors';
import { listUsers, type UserDirectory } from '../../functions/domain/user-directory';
import type { User } from '../../functions/domain/users';

const user: User = {
  userId: 'usr_1',
  email: 'sam@example.com',
  name: 'Sam',
  role: 'tenant',
  accountType: 'individual',
  passwordHash: 'scrypt$secret',
  passwordChangedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function fakeDirectory() {
  const searches: Parameters<UserDirectory['search']>[0][] = [];
  const directory: UserDirectory = {
    async search(query) {
      searches.push(query);
      return { items: [user], nextCursor: 'next' };
    },
  };
  return { deps: { directory }, searches };
}

const admin = { userId: 'usr_admin', role: 'admin' as const };

describe('listing users', () => {
  it('is for admins only', async () => {
    const { deps, searches } = fakeDirectory();
    for (const caller of [{ userId: 'usr_t', role: 'tenant' as const }, { userId: 'usr_o', role: 'operator' as const, operatorId: 'op_1' }]) {
      await expect(listUsers(deps, caller, { limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(searches).toEqual([]);
  });

  it('searches emails by their lower-case start, names as typed, and everyone by email when nothing is typed', async () => {
    const { deps, searches } = fakeDirectory();
    await listUsers(deps, admin, { email: ' SAM@Ex ', limit: 10 });
    await listUsers(deps, admin, { name: 'Sam P', limit: 10, cursor: 'c' });
    await listUsers(deps, admin, { limit: 25 });
    expect(searches).toEqual([
      { by: 'email', prefix: 'sam@ex', limit: 10 },
      { by: 'name', prefix: 'Sam P', limit: 10, cursor: 'c' },
      { by: 'email', limit: 25 },
    ]);
  });

  it('refuses a search by both email and name', async () => {
    const { deps } = fakeDirectory();
    await expect(listUsers(deps, admin, { email: 'a', name: 'b', limit: 10 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers without password hashes, with the next page’s cursor', async () => {
    const { deps } = fakeDirectory();
    const page = await listUsers(deps, admin, { limit: 10 });
    expect(page.nextCursor).toBe('next');
    expect(page.items[0]).not.toHaveProperty('passwordHash');
    expect(page.items[0]).not.toHaveProperty('passwordChangedAt');
    expect(page.items[0]).toMatchObject({ userId: 'usr_1', email: 'sam@example.com' });
  });
});
