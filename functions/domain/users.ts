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
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the API shows of a user: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash' | 'passwordChangedAt'>;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hash, passwordChangedAt: _changed, ...rest } = user;
  return rest;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
