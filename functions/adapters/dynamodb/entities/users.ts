/**
 * Users and what hangs off them: the email claim, reset tokens, pending email changes, the Xero
 * contact link. Keys: `keys.user`, `keys.emailClaim`, `keys.passwordReset`, `keys.emailChange`,
 * `keys.xeroContactLink` (keys.ts).
 */
import * as z from 'zod/mini';
import { ACCOUNT_TYPES, ROLES } from '../../../domain/identity';
import type { EmailChangeRequest, PasswordResetToken } from '../../../domain/ports';
import type { TenantContact } from '../../../domain/plate-lookup';
import type { User } from '../../../domain/users';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

const userSchema = () => z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  phone: z.optional(z.string()),
  role: z.enum(ROLES),
  accountType: z.enum(ACCOUNT_TYPES),
  operatorId: z.optional(z.string()),
  passwordHash: z.string(),
  passwordChangedAt: z.string(),
  tokenVersion: z.optional(z.number().check(z.int())),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<SameShape<Built<typeof userSchema>, User>>();
export const userEntity = defineEntity<User>(ENTITY.user, userSchema);

/** A tenant's contact (`TenantContact`): read with a projection of a user item, never its password hash. */
export const TENANT_CONTACT_ATTRIBUTES = ['userId', 'name', 'email'] as const;
const tenantContactSchema = () => z.object({ userId: z.string(), name: z.string(), email: z.string() });
sameShape<SameShape<Built<typeof tenantContactSchema>, TenantContact>>();
export const tenantContactEntity = defineEntity<TenantContact>(ENTITY.user, tenantContactSchema);

/** Which user owns an email (written with the user; read to find a user by email). */
export interface EmailClaim {
  readonly email: string;
  readonly userId: string;
}
const emailClaimSchema = () => z.object({ email: z.string(), userId: z.string() });
sameShape<SameShape<Built<typeof emailClaimSchema>, EmailClaim>>();
export const emailClaimEntity = defineEntity<EmailClaim>(ENTITY.emailClaim, emailClaimSchema);

const passwordResetSchema = () => z.object({
  tokenHash: z.string(),
  userId: z.string(),
  tokenVersion: z.optional(z.number().check(z.int())),
  issuedAt: z.string(),
  expiresAt: z.string(),
});
sameShape<SameShape<Built<typeof passwordResetSchema>, PasswordResetToken>>();
export const passwordResetEntity = defineEntity<PasswordResetToken>(ENTITY.passwordReset, passwordResetSchema);

const emailChangeSchema = () => z.object({
  tokenHash: z.string(),
  userId: z.string(),
  newEmail: z.string(),
  tokenVersion: z.number().check(z.int()),
  expiresAt: z.string(),
});
sameShape<SameShape<Built<typeof emailChangeSchema>, EmailChangeRequest>>();
export const emailChangeEntity = defineEntity<EmailChangeRequest>(ENTITY.emailChange, emailChangeSchema);

/** The user item as GET /billing projects it (never the password hash). */
const userAccountTypeSchema = () => z.object({ accountType: z.enum(ACCOUNT_TYPES) });
export const userAccountTypeProjection = defineEntity<Built<typeof userAccountTypeSchema>>(ENTITY.user, userAccountTypeSchema);

/** The Xero contact link as GET /billing projects it. */
const xeroContactSchema = () => z.object({ contactId: z.string() });
export const xeroContactProjection = defineEntity<Built<typeof xeroContactSchema>>(ENTITY.xeroContactLink, xeroContactSchema);
