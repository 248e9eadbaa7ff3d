/**
 * The OpenAPI 3.1 document, built from the route manifest and the routes' zod contracts.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what zod emits natively.
 */
import * as z from 'zod';
import { routes } from '../routes';
import { contracts, type RouteContract } from './contracts';
import { ErrorResponse } from './schemas';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, or an invalid request',
  401: 'No valid bearer token',
  402: 'The card was declined',
  403: 'Your role does not allow this',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  413: 'Body over 64 KB',
  415: 'Body is not JSON',
  422: 'Validation failed; details name the fields',
  429: 'Too many attempts; see Retry-After',
  503: 'A dependency (Stripe, SmartParking, AWS) is unavailable; retry later',
};

/** Draft 2020-12 JSON Schema for a zod schema, as OpenAPI 3.1 embeds it. */
function toSchema(schema: z.core.$ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(contract: RouteContract) {
  const list: Record<string, unknown>[] = [];
  const add = (schema: z.core.$ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, propertySchema] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: propertySchema });
    }
  };
  add(contract.params, 'path');
  add(contract.query, 'query');
  return list;
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const contract: RouteContract = contracts[route.id];
    const errorStatuses = new Set<number>(contract.errors ?? []);
    if (contract.body) [400, 413, 415, 422].forEach((s) => errorStatuses.add(s));
    if (contract.query) errorStatuses.add(422);
    if (route.auth === 'user') errorStatuses.add(401);

    const responses: Record<string, unknown> = {
      [contract.success.status]: contract.success.body
        ? { description: 'Success', content: { 'application/json': { schema: toSchema(contract.success.body, 'output') } } }
        : { description: 'Success' },
    };
    for (const status of [...errorStatuses].sort()) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }

    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.id,
      summary: route.summary,
      ...(route.auth === 'user' ? { security: [{ bearer: [] }] } : { security: [] }),
      parameters: parameters(contract),
      ...(contract.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(contract.body, 'input') } } } }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Carpark Tenancy API',
      version: '1.0.0',
      description: 'Monthly car park tenancies. Errors always have the shape `{ "error": { "code", "message", "details"? } }`.',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: toSchema(ErrorResponse, 'output') },
    },
  };
}
