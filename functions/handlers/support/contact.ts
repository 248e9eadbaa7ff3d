import { submitContact } from '../../domain/support';
import { supportDeps } from '../../adapters/wiring/support';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('Contact', async ({ body, event }) => {
  await submitContact(supportDeps(), body, { ip: event.requestContext.http.sourceIp });
  return { received: true };
});
