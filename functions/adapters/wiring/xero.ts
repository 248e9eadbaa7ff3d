/**
 * Wiring for reading corporate invoices: DynamoDB and Xero. Kept apart from the Stripe wiring so
 * only the functions that call Xero bundle its adapter.
 */
import { CorporateInvoicesUnavailableError, type CorporateBillingDeps, type CorporateInvoiceSource } from '../../domain/corporate-billing';
import { logger } from '../../http/logger';
import { xeroContactLinks } from '../dynamodb/xero-links';
import { xeroInvoiceSource } from '../xero/client';

/**
 * The caller still gets an answer when Xero is unavailable; the log keeps why. Anything else is a
 * bug, which the route's own handler logs once as such.
 */
const loggedXeroInvoices: CorporateInvoiceSource = {
  async listInvoices(contactId) {
    try {
      return await xeroInvoiceSource.listInvoices(contactId);
    } catch (error) {
      if (error instanceof CorporateInvoicesUnavailableError) logger.warn('Xero invoices unavailable', { contactId, error });
      throw error;
    }
  },
};

export const corporateBillingDeps: CorporateBillingDeps = {
  links: xeroContactLinks,
  invoices: loggedXeroInvoices,
};
