import type { App, Op } from '../app';
import { checkAttachable, isTestToken, materializeToken } from '../billing/cards';
import { invalidRequest, resourceMissing } from '../http/errors';
import type { Rec } from '../store';

/** A customer that exists and is not deleted (Stripe answers 404 for deleted customers on writes). */
export function liveCustomer(app: App, id: string, param = 'customer'): Rec {
  const customer = app.store.get('customer', id);
  if (!customer || customer.__deleted) throw resourceMissing('customer', id, param);
  return customer;
}

/** A PaymentMethod named in a request: test tokens become a new `pm_...`, other ids must exist. */
export function paymentMethodFromParam(app: App, id: string, at: number, param = 'payment_method'): Rec {
  if (isTestToken(id)) return materializeToken(app, id, at);
  const pm = app.store.get('payment_method', id);
  if (!pm) throw resourceMissing('PaymentMethod', id, param);
  return pm;
}

/** Attaches a PaymentMethod to a customer and emits `payment_method.attached`. */
export function attachPaymentMethod(op: Op, pm: Rec, customer: Rec): void {
  if (pm.customer === customer.id) return;
  if (pm.customer) throw invalidRequest('The payment method you provided has already been attached to a customer.', { param: 'payment_method' });
  checkAttachable(pm);
  pm.customer = String(customer.id);
  op.app.emit(op, 'payment_method.attached', op.app.render('payment_method', pm));
}

/** Stripe only accepts PaymentMethods already attached to the customer as a default. */
export function requireAttached(app: App, customerId: string, pmId: string, param: string): Rec {
  const pm = app.store.get('payment_method', pmId);
  if (!pm && !isTestToken(pmId)) throw resourceMissing('PaymentMethod', pmId, param);
  if (!pm || pm.customer !== customerId) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      { param },
    );
  }
  return pm;
}
