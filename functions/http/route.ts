/**
 * The adapter between API Gateway and a use case: parse, authenticate, validate, run, map.
 * Every handler is one `httpRoute(id, run)` call; the route's request contract
 * (functions/api/request-contracts.ts) and its auth mode (functions/routes.ts) are looked up by id,
 * so they cannot disagree.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { requestContracts, type RequestContract } from '../api/request-contracts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors';
import { ROLES, type Principal, type Role } from '../domain/identity';
import { routes, type RouteId } from '../routes';
import { logger } from './logger';
import { HttpError, errorResponse, fieldIssues, json, type HttpResult } from './responses';

export const MAX_BODY_BYTES = 64 * 1024;

/** What the authorizer puts in the request context (all values are strings or numbers). */
export interface AuthorizerContext {
  readonly userId?: string;
  readonly role?: string;
  readonly operatorId?: string;
  /** Token expiry, epoch seconds: the authorizer's answer is cached, so expiry is re-checked here. */
  readonly expiresAt?: number;
}

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { lambda?: AuthorizerContext } };
};

type Contract<Id extends RouteId> = (typeof requestContracts)[Id];
type Parsed<C, K extends string> = C extends { [P in K]: infer S extends z.ZodMiniType } ? z.output<S> : undefined;
type Auth<Id extends RouteId> = Extract<(typeof routes)[number], { id: Id }>['auth'];

export interface RouteRequest<Id extends RouteId> {
  readonly body: Parsed<Contract<Id>, 'body'>;
  readonly params: Parsed<Contract<Id>, 'params'>;
  readonly query: Parsed<Contract<Id>, 'query'>;
  /** The caller; always present on `auth: 'user'` routes (anonymous callers get 401 first). */
  readonly caller: Auth<Id> extends 'user' ? Principal : undefined;
  readonly event: HttpEvent;
}

function principalFrom(event: HttpEvent, nowSeconds: number): Principal | undefined {
  const ctx = event.requestContext.authorizer?.lambda;
  if (!ctx?.userId || !ROLES.includes(ctx.role as Role)) return undefined;
  if (typeof ctx.expiresAt !== 'number' || ctx.expiresAt <= nowSeconds) return undefined;
  return { userId: ctx.userId, role: ctx.role as Role, ...(ctx.operatorId ? { operatorId: ctx.operatorId } : {}) };
}

function readJsonBody(event: HttpEvent): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `The request body must be at most ${MAX_BODY_BYTES / 1024} KB.`);
  }
  const contentType = event.headers['content-type'];
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json.');
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
}

function validate<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`The ${where} is not valid.`, fieldIssues(result.error));
  return result.data;
}

export function httpRoute<Id extends RouteId>(
  id: Id,
  /** Returns the success body (sent with the contract's status), or a full result to send as is. */
  run: (request: RouteRequest<Id>) => Promise<unknown>,
) {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Route ${id} is not in the manifest`);
  const contract: RequestContract = requestContracts[id];

  const handle = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    try {
      const caller = principalFrom(event, Math.floor(Date.now() / 1000));
      if (route.auth === 'user' && !caller) throw new UnauthenticatedError();
      if (caller) logger.appendKeys({ userId: caller.userId });

      let params: unknown;
      if (contract.params) {
        // An id that cannot exist is simply not found.
        const parsed = contract.params.safeParse(event.pathParameters ?? {});
        if (!parsed.success) throw new NotFoundError('Resource');
        params = parsed.data;
      }
      const query = contract.query ? validate(contract.query, event.queryStringParameters ?? {}, 'query string') : undefined;
      const body = contract.body ? validate(contract.body, readJsonBody(event), 'request body') : undefined;

      const reply = await run({ body, params, query, caller, event } as RouteRequest<Id>);
      if (isHttpResult(reply)) return reply;
      return json(contract.success.status, contract.success.empty ? undefined : reply);
    } catch (error) {
      return errorResponse(error, context.awsRequestId, (e) => logger.error('Unhandled error', e as Error));
    }
  };

  return middy<HttpEvent, HttpResult>().use(injectLambdaContext(logger, { resetKeys: true })).handler(handle);
}

const isHttpResult = (value: unknown): value is HttpResult =>
  typeof value === 'object' && value !== null && 'statusCode' in value && typeof (value as HttpResult).statusCode === 'number';
