/**
 * The HTTP API's Lambda authorizer. It labels each request with the caller's identity and never
 * denies: API Gateway would answer a denial with its own 403 body, while an anonymous or expired
 * caller deserves a 401 in our error shape, which the route adapter gives. API Gateway caches the
 * answer per token (briefly: see the route manifest), so the adapter also re-checks the expiry.
 *
 * A signed token is not enough: its user must still exist, with the token version, role and
 * operator the token was issued with. A password change or reset, an email change or a role
 * change bumps the version, so every earlier token stops working within the cache's lifetime.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { userRepository } from '../../adapters/dynamodb/repositories';
import { verifyToken } from '../../adapters/tokens';
import { tokenVersionOf } from '../../domain/users';
import type { AuthorizerContext } from '../../http/route';

type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext & Record<string, string | number>>;

const anonymous: Result = { isAuthorized: true, context: {} };

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  const header = event.identitySource?.[0] ?? event.headers?.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const verified = match?.[1] ? await verifyToken(match[1]) : undefined;
  if (!verified) return anonymous;
  const { principal, expiresAt, version } = verified;
  const user = await userRepository.get(principal.userId);
  const current =
    user &&
    tokenVersionOf(user) === version &&
    user.role === principal.role &&
    (user.operatorId ?? undefined) === principal.operatorId;
  if (!current) return anonymous;
  return {
    isAuthorized: true,
    context: {
      userId: principal.userId,
      role: principal.role,
      ...(principal.operatorId ? { operatorId: principal.operatorId } : {}),
      expiresAt,
    },
  };
};
