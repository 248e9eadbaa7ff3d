/**
 * Routes agreed with the API but not yet in its OpenAPI document. Delete this file once the
 * generated schema has them (tsc then reports duplicate declarations here).
 */
import type { ErrorBody } from './types';

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Invoice = import('./types').Billing['recentInvoices'][number];

declare module './schema' {
  interface paths {
    '/billing/invoices/{invoiceId}/pay': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      post: {
        parameters: { query?: never; header?: never; path: { invoiceId: string }; cookie?: never };
        requestBody?: never;
        responses: { 200: Json<{ invoice: Invoice }>; 402: Json<ErrorBody>; 409: Json<ErrorBody> };
      };
    };
  }
}
