/** Which Stripe events mean "the tenant has a new card" (rule CardUpdated). */
import { describe, expect, it } from 'vitest';
import { newCardOf } from '../../functions/handlers/consumers/stripe-event';

const event = (type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) => ({
  id: 'evt_1',
  type,
  data: { object, ...(previous ? { previous_attributes: previous } : {}) },
});

describe('a new card event', () => {
  it('is a payment method attached to a customer', () => {
    expect(newCardOf(event('payment_method.attached', { id: 'pm_1', customer: 'cus_1' }))).toEqual({ customerId: 'cus_1', paymentMethodId: 'pm_1' });
  });

  it('is a setup intent that succeeded, expanded or not', () => {
    expect(newCardOf(event('setup_intent.succeeded', { id: 'seti_1', customer: 'cus_1', payment_method: 'pm_2' }))).toEqual({
      customerId: 'cus_1',
      paymentMethodId: 'pm_2',
    });
    expect(newCardOf(event('setup_intent.succeeded', { id: 'seti_1', customer: { id: 'cus_1' }, payment_method: { id: 'pm_2' } }))).toEqual({
      customerId: 'cus_1',
      paymentMethodId: 'pm_2',
    });
  });

  it('is a customer update only when the default payment method changed to a card', () => {
    const customer = { id: 'cus_1', invoice_settings: { default_payment_method: 'pm_3' } };
    expect(newCardOf(event('customer.updated', customer, { invoice_settings: { default_payment_method: 'pm_old' } }))).toEqual({
      customerId: 'cus_1',
      paymentMethodId: 'pm_3',
    });
    expect(newCardOf(event('customer.updated', customer, { email: 'old@test.example' }))).toBeUndefined();
    expect(newCardOf(event('customer.updated', customer))).toBeUndefined();
    expect(
      newCardOf(event('customer.updated', { id: 'cus_1', invoice_settings: { default_payment_method: null } }, { invoice_settings: { default_payment_method: 'pm_3' } })),
      'a card removed is not a new card',
    ).toBeUndefined();
  });

  it('is nothing else', () => {
    expect(newCardOf(event('payment_method.attached', { id: 'pm_1', customer: null }))).toBeUndefined();
    expect(newCardOf(event('invoice.paid', { id: 'in_1', customer: 'cus_1' }))).toBeUndefined();
  });
});
