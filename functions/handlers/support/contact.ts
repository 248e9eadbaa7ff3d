import { submitContact } from '../../domain/support';
import { supportDeps } from '../../adapters/wiring/support';
import { requestSource } from '../../http/client-address';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('Contact', async ({ body, event }) => {
  await submitContact(supportDeps(), body, await requestSource(event));
  return { received: true };
});
