/**
 * Wiring for reading corporate invoices: DynamoDB and Xero. Kept apart from the Stripe wiring so
 * only the functions that call Xero bundle its adapter.
 */
import type { CorporateBillingDeps, CorporateInvoiceSource } from '../../domain/corporate-billing';
import { logger } from '../../http/logger';
import { xeroContactLinks } from '../dynamodb/xero-links';
import { xeroInvoiceSource } from '../xero/client';

/** The caller still gets an answer when Xero fails; the log keeps why. */
const loggedXeroInvoices: CorporateInvoiceSource = {
  async listInvoices(contactId) {
    try {
      return await xeroInvoiceSource.listInvoices(contactId);
    } catch (error) {
      logger.warn('Xero invoices unavailable', { contactId, error: error as Error });
      throw error;
    }
  },
};

export const corporateBillingDeps: CorporateBillingDeps = {
  links: xeroContactLinks,
  invoices: loggedXeroInvoices,
};
