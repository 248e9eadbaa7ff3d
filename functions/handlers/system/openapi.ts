import { buildOpenApiDocument } from '../../api/openapi';
import { json } from '../../http/responses';
import { httpRoute } from '../../http/route';

let document: string | undefined;

export const handler = httpRoute('OpenApi', async () => {
  document ??= JSON.stringify(buildOpenApiDocument());
  return { ...json(200), headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }, body: document };
});
