import { linkXeroContact } from '../../domain/corporate-billing';
import { xeroLinkDeps } from '../../adapters/wiring/xero-links';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('LinkXeroContact', ({ caller, params, body }) =>
  linkXeroContact(xeroLinkDeps, caller, params.userId, body.contactId),
);
