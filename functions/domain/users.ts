import type { AccountType, Role } from './identity';

export interface User {
  readonly userId: string;
  /** Normalised (trimmed, lower case): emails are unique case-insensitively. */
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
  readonly role: Role;
  readonly accountType: AccountType;
  readonly operatorId?: string;
  readonly passwordHash: string;
  /** Reset links issued before this instant no longer work. */
  readonly passwordChangedAt: string;
  /**
   * Bumped by every change that must end the user's sessions (password change or reset, email
   * change, role or operator change). Tokens carry the version they were issued at; the
   * authorizer refuses any other. Absent means 0.
   */
  readonly tokenVersion?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the API shows of a user: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash' | 'passwordChangedAt' | 'tokenVersion'>;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hash, passwordChangedAt: _changed, tokenVersion: _version, ...rest } = user;
  return rest;
}

export const tokenVersionOf = (user: Pick<User, 'tokenVersion'>): number => user.tokenVersion ?? 0;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
