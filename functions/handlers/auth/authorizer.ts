/**
 * The HTTP API's Lambda authorizer. It labels each request with the caller's identity and never
 * denies: API Gateway would answer a denial with its own 403 body, while an anonymous or expired
 * caller deserves a 401 in our error shape, which the route adapter gives. API Gateway caches the
 * answer per token, so the adapter also re-checks the expiry carried in the context.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { verifyToken } from '../../adapters/tokens';
import type { AuthorizerContext } from '../../http/route';

type Result = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext & Record<string, string | number>>;

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  const header = event.identitySource?.[0] ?? event.headers?.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const verified = match?.[1] ? await verifyToken(match[1]) : undefined;
  if (!verified) return { isAuthorized: true, context: {} };
  const { principal, expiresAt } = verified;
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
