import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ValidationError, type FieldIssue } from './errors';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** A few of the most used passwords that pass the length rule; refused outright. */
const COMMON_PASSWORDS = new Set([
  'password123', 'password1234', 'qwertyuiop', '1234567890', '0123456789', 'iloveyou123',
  'letmein123', 'welcome123', 'administrator', 'passw0rd123', 'qwerty1234', 'abc1234567',
]);

/** Why a password is too weak; empty when it is acceptable. */
export function passwordWeaknesses(password: string, email?: string): string[] {
  const reasons: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) reasons.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) reasons.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    reasons.push('Mix letters with digits or symbols.');
  }
  if (new Set(password).size < 5) reasons.push('Use more different characters.');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) reasons.push('This password is too common.');
  const localPart = email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && password.toLowerCase().includes(localPart)) {
    reasons.push('Do not use your email address in your password.');
  }
  return reasons;
}

export function assertStrongPassword(password: string, email?: string, path = 'password'): void {
  const reasons = passwordWeaknesses(password, email);
  if (reasons.length > 0) {
    const issues: FieldIssue[] = reasons.map((message) => ({ path, message }));
    throw new ValidationError('The password is too weak.', issues);
  }
}

/**
 * scrypt parameters: OWASP's current minimum, N=2^17, r=8, p=1 (128 MiB and a few hundred
 * milliseconds per hash). The parameters are stored with each hash, so older hashes still verify
 * and are rehashed on the next successful login (`needsRehash`). Tests may lower the cost with
 * `PASSWORD_HASH_LOG2_N` (never in a deployment: the CDK does not set it).
 */
export const PRODUCTION_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SCRYPT_SIZES = { keyLength: 32, saltLength: 16 };

/** The parameters new hashes use. */
export function scryptParameters(): { N: number; r: number; p: number } {
  const log2 = Number(process.env.PASSWORD_HASH_LOG2_N);
  return Number.isInteger(log2) && log2 >= 10 && log2 <= 17 ? { ...PRODUCTION_SCRYPT, N: 2 ** log2 } : PRODUCTION_SCRYPT;
}

/** Whether a stored hash was made with other parameters than new ones use (rehash it on login). */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  const current = scryptParameters();
  return scheme !== 'scrypt' || Number(n) !== current.N || Number(r) !== current.r || Number(p) !== current.p;
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number): number => 256 * N * r;

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT_SIZES.saltLength);
  const { N, r, p } = scryptParameters();
  const { keyLength } = SCRYPT_SIZES;
  const key = await scrypt(password, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every(Number.isSafeInteger)) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of a password nobody knows, verified when the account does not exist, so that a login
 * for an unknown email takes as long as one for a known email.
 */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));
