import { describe, expect, it } from 'vitest';
import { OPEN_INVOICE } from './fakes';
import type { PaymentAttempt } from '../../functions/domain/billing';
import { AuthenticationRequiredError, PAY_NOW_WINDOW_MS, payInvoiceNow, type PayNowDeps } from '../../functions/domain/pay-now';

const OPEN = OPEN_INVOICE;
const caller = { userId: 'usr_a', role: 'tenant' as const };

function deps(outcome: PaymentAttempt, at = { now: 0 }, card = 'pm_1') {
  const keys: string[] = [];
  const d: PayNowDeps = {
    billing: { get: async () => ({ userId: 'usr_a', customerId: 'cus_a', version: 1, lines: [] }) },
    payments: {
      getInvoice: async (id) => (id === OPEN.invoiceId ? OPEN : undefined),
      getCustomer: async () => ({ customerId: 'cus_a', email: null, name: null, defaultCard: { paymentMethodId: card, brand: 'visa', last4: '3184', expMonth: 1, expYear: 2030 } }),
      attemptPayment: async (_id, _pm, key) => {
        keys.push(key);
        return outcome;
      },
    },
    clock: { now: () => new Date(at.now) },
  };
  return { d, keys };
}

describe('paying an invoice now', () => {
  it('hands the client secret back when the bank asks for authentication', async () => {
    const { d } = deps({ outcome: 'authentication_required', clientSecret: 'pi_1_secret_x', message: 'Authentication required.' });
    const error = await payInvoiceNow(d, caller, 'in_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error).toMatchObject({ code: 'authentication_required', clientSecret: 'pi_1_secret_x' });
  });

  it('charges one invoice and card once per window: a double click shares the key, a later attempt does not', async () => {
    const at = { now: 5 * PAY_NOW_WINDOW_MS + 1 };
    const { d, keys } = deps({ outcome: 'declined', message: 'Your card was declined.' }, at);
    await expect(payInvoiceNow(d, caller, 'in_1')).rejects.toThrow('Your card was declined.');
    await expect(payInvoiceNow(d, caller, 'in_1')).rejects.toThrow();
    at.now += PAY_NOW_WINDOW_MS;
    await expect(payInvoiceNow(d, caller, 'in_1')).rejects.toThrow();
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(keys[0]).toContain('in_1-pm_1');
  });

  it('treats an invoice it cannot see, or another customer’s, as not found', async () => {
    const { d } = deps({ outcome: 'paid', invoice: { ...OPEN, amountPaid: 0, periodStart: '', periodEnd: '', createdAt: '', lines: [] } });
    await expect(payInvoiceNow(d, caller, 'in_other')).rejects.toMatchObject({ code: 'not_found' });
    const theirs = { ...d, payments: { ...d.payments, getInvoice: async () => ({ ...OPEN, customerId: 'cus_b' }) } };
    await expect(payInvoiceNow(theirs, caller, 'in_1')).rejects.toMatchObject({ code: 'not_found' });
  });
});
