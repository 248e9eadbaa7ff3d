/** Production scrypt parameters (OWASP: N=2^17, r=8, p=1) and the rehash of older hashes on login. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login, signUp } from '../../functions/domain/accounts';
import { hashPassword, needsRehash, verifyPassword } from '../../functions/domain/passwords';
import { FakeClock, fakeLimiter, fakeTokens, fakeUsers } from './fakes';

const testCost = process.env.PASSWORD_HASH_LOG2_N;
beforeEach(() => {
  delete process.env.PASSWORD_HASH_LOG2_N;
});
afterEach(() => {
  process.env.PASSWORD_HASH_LOG2_N = testCost;
});

describe('password hashing in production', () => {
  it('uses N=2^17, r=8, p=1', { timeout: 60_000 }, async () => {
    const hash = await hashPassword('correct-horse-42');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct-horse-42', hash)).toBe(true);
    expect(needsRehash(hash)).toBe(false);
  });

  it('rehashes a weaker hash on the next successful login, transparently', { timeout: 60_000 }, async () => {
    const users = fakeUsers();
    const clock = new FakeClock();
    process.env.PASSWORD_HASH_LOG2_N = '15';
    const sam = await signUp({ users, clock }, { email: 'sam@example.com', password: 'correct-horse-42', name: 'Sam', accountType: 'individual' });
    const before = users.all.get(sam.userId)!.passwordHash;
    expect(before).toMatch(/^scrypt\$32768\$/);

    delete process.env.PASSWORD_HASH_LOG2_N;
    expect(needsRehash(before)).toBe(true);
    await login({ users, limits: fakeLimiter(), tokens: fakeTokens, clock }, { email: 'sam@example.com', password: 'correct-horse-42' }, { ip: '198.51.100.1' });
    const after = users.all.get(sam.userId)!;
    expect(after.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(after.passwordChangedAt).toBe(users.all.get(sam.userId)!.passwordChangedAt);
    expect(after.tokenVersion ?? 0).toBe(0);
    expect(await verifyPassword('correct-horse-42', after.passwordHash)).toBe(true);
  });
});
