/**
 * Bearer tokens: HS256 JWTs signed with a key kept in Secrets Manager, valid for one hour.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ENV, requireEnv } from '../environment';
import { ROLES, type Principal, type Role } from '../domain/identity';
import type { IssuedToken, TokenIssuer } from '../domain/ports';
import { getSecretString } from './secrets';

export const TOKEN_ISSUER = 'carpark-tenancy';
export const TOKEN_AUDIENCE = 'carpark-tenancy-api';
export const TOKEN_LIFETIME_SECONDS = 60 * 60;

const signingKey = async (): Promise<Uint8Array> => new TextEncoder().encode(await getSecretString(requireEnv(ENV.jwtSecretId)));

export const jwtTokenIssuer: TokenIssuer = {
  async issue(principal: Principal, version = 0): Promise<IssuedToken> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + TOKEN_LIFETIME_SECONDS;
    const token = await new SignJWT({ role: principal.role, ver: version, ...(principal.operatorId ? { opId: principal.operatorId } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(await signingKey());
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  },
};

export interface VerifiedToken {
  readonly principal: Principal;
  /** Epoch seconds. */
  readonly expiresAt: number;
  /** The user's token version it was issued at (0 for tokens from before versions). */
  readonly version: number;
}

/** The token's identity, or undefined for any token that is not ours, valid and unexpired. */
export async function verifyToken(token: string): Promise<VerifiedToken | undefined> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: ['HS256'],
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || !ROLES.includes(role as Role) || typeof payload.exp !== 'number') return undefined;
    const operatorId = typeof payload.opId === 'string' ? payload.opId : undefined;
    return {
      principal: { userId: payload.sub, role: role as Role, ...(operatorId ? { operatorId } : {}) },
      expiresAt: payload.exp,
      version: typeof payload.ver === 'number' ? payload.ver : 0,
    };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return undefined;
    throw error;
  }
}
