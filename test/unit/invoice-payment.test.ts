import { describe, expect, it } from 'vitest';
import { OPEN_INVOICE } from './fakes';
import type { CollectibleInvoice } from '../../functions/domain/billing';
import { invoicePayment, type InvoicePaymentDeps } from '../../functions/domain/invoice-payment';

const OPEN = OPEN_INVOICE;
const caller = { userId: 'usr_a', role: 'tenant' as const };

function deps(invoice: CollectibleInvoice | undefined, customerId: string | null = 'cus_a') {
  const asked: string[] = [];
  const d: InvoicePaymentDeps = {
    billing: { get: async () => ({ userId: 'usr_a', ...(customerId ? { customerId } : {}), version: 1, lines: [] }) },
    payments: {
      getInvoice: async (id) => (invoice && id === invoice.invoiceId ? invoice : undefined),
      paymentClientSecret: async (id) => {
        asked.push(id);
        return 'pi_1_secret_x';
      },
      getCustomer: async (id) => ({
        customerId: id,
        email: 'tess@test.example',
        name: 'Tess',
        defaultCard: { paymentMethodId: 'pm_1', brand: 'visa', last4: '3184', expMonth: 12, expYear: 2030 },
      }),
    },
  };
  return { d, asked };
}

describe("an invoice's payment for authentication", () => {
  it('gives the owner the client secret, amount and status of an open invoice', async () => {
    expect(await invoicePayment(deps(OPEN).d, caller, 'in_1')).toEqual({
      invoiceId: 'in_1',
      number: 'A-0002',
      status: 'open',
      amountDue: 10_000,
      amountRemaining: 10_000,
      currency: 'gbp',
      clientSecret: 'pi_1_secret_x',
      card: { paymentMethodId: 'pm_1', brand: 'visa', last4: '3184' },
    });
  });

  it('has no client secret once the invoice is no longer open, and does not ask Stripe for one', async () => {
    const { d, asked } = deps({ ...OPEN, status: 'paid', amountRemaining: 0 });
    expect(await invoicePayment(d, caller, 'in_1')).toMatchObject({ status: 'paid', clientSecret: null, card: null });
    expect(asked).toEqual([]);
  });

  it('treats another customer’s invoice, an unknown one or a caller without a customer as not found', async () => {
    await expect(invoicePayment(deps({ ...OPEN, customerId: 'cus_b' }).d, caller, 'in_1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(invoicePayment(deps(OPEN).d, caller, 'in_other')).rejects.toMatchObject({ code: 'not_found' });
    await expect(invoicePayment(deps(OPEN, null).d, caller, 'in_1')).rejects.toMatchObject({ code: 'not_found' });
  });
});
