import { searchXeroContacts } from '../../domain/corporate-billing';
import { xeroContactDirectory } from '../../adapters/xero/client';
import { httpRoute } from '../../http/route';

export const handler = httpRoute('SearchXeroContacts', ({ caller, query }) => searchXeroContacts({ contacts: xeroContactDirectory }, caller, query));
