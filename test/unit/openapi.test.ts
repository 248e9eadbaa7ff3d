import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/api/openapi';
import { routes } from '../../functions/routes';

type Operation = { operationId: string; security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown };

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, Operation>> };

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route of the manifest with its auth and success status', () => {
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op!.operationId).toBe(route.id);
      expect(op!.security.length > 0).toBe(route.auth === 'user');
      if (route.auth === 'user') expect(op!.responses).toHaveProperty('401');
    }
  });

  it('describes request bodies from the same schemas the handlers validate with', () => {
    const signUp = doc.paths['/users']!.post as { requestBody: { content: { 'application/json': { schema: { required: string[]; additionalProperties: boolean } } } } };
    const schema = signUp.requestBody.content['application/json'].schema;
    expect(schema.required.sort()).toEqual(['accountType', 'email', 'name', 'password']);
    expect(schema.additionalProperties).toBe(false);
  });
});
