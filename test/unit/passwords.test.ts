import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors';
import { assertStrongPassword, hashPassword, passwordWeaknesses, verifyPassword } from '../../functions/domain/passwords';

describe('password strength', () => {
  it('accepts a long password mixing letters and digits', () => {
    expect(passwordWeaknesses('correct-horse-42')).toEqual([]);
  });

  it.each([
    ['short1', 'Use at least 10 characters.'],
    ['onlyletterslong', 'Mix letters with digits or symbols.'],
    ['12345678901', 'Mix letters with digits or symbols.'],
    ['aaaaaaaaa1', 'Use more different characters.'],
    ['Password123', 'This password is too common.'],
  ])('refuses %s: %s', (password, reason) => {
    expect(passwordWeaknesses(password)).toContain(reason);
  });

  it('refuses a password containing the email local part', () => {
    expect(passwordWeaknesses('xsamantha-99', 'samantha@example.com')).toContain('Do not use your email address in your password.');
  });

  it('reports weaknesses as field issues on the password path', () => {
    let caught: unknown;
    try {
      assertStrongPassword('short', undefined, 'newPassword');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.every((i) => i.path === 'newPassword')).toBe(true);
  });
});

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('correct-horse-42');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct-horse-42', hash)).toBe(true);
    expect(await verifyPassword('correct-horse-43', hash)).toBe(false);
  });

  it('salts every hash, so equal passwords hash differently', async () => {
    expect(await hashPassword('correct-horse-42')).not.toBe(await hashPassword('correct-horse-42'));
  });

  it('treats a malformed stored hash as a mismatch rather than an error', async () => {
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$x$8$1$abc$def')).toBe(false);
  });
});
