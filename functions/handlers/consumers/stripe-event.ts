/** What the Stripe consumers read from an event: ids, whether Stripe sent the object expanded or not. */

/** A reference Stripe sends as an id or as the expanded object. */
export type StripeRef = string | { id: string } | null | undefined;

export const idOf = (ref: StripeRef): string | undefined => (typeof ref === 'string' ? ref : (ref?.id ?? undefined));

export interface InvoiceEvent {
  readonly id: string;
  readonly data?: { readonly object?: { readonly id?: string; readonly customer?: StripeRef } };
}

/** The invoice and customer an invoice event is about, or undefined for an event without them. */
export function invoiceOf(event: InvoiceEvent): { invoiceId: string; customerId: string } | undefined {
  const invoice = event.data?.object;
  const customerId = idOf(invoice?.customer);
  return typeof invoice?.id === 'string' && customerId ? { invoiceId: invoice.id, customerId } : undefined;
}

export interface CardEvent {
  id: string;
  type: string;
  data?: {
    object?: { object?: string; id?: string; customer?: StripeRef; payment_method?: StripeRef; status?: string; invoice_settings?: { default_payment_method?: StripeRef } };
    previous_attributes?: { invoice_settings?: { default_payment_method?: StripeRef } };
  };
}

/** The customer and the new card the event is about, or undefined when it is about something else. */
export function newCardOf(event: CardEvent): { customerId: string; paymentMethodId: string } | undefined {
  const object = event.data?.object;
  if (!object) return undefined;
  switch (event.type) {
    case 'payment_method.attached': {
      const customerId = idOf(object.customer);
      return customerId && object.id ? { customerId, paymentMethodId: object.id } : undefined;
    }
    case 'setup_intent.succeeded': {
      const customerId = idOf(object.customer);
      const paymentMethodId = idOf(object.payment_method);
      return customerId && paymentMethodId ? { customerId, paymentMethodId } : undefined;
    }
    case 'customer.updated': {
      const previous = event.data?.previous_attributes?.invoice_settings;
      if (!previous || !('default_payment_method' in previous)) return undefined;
      const paymentMethodId = idOf(object.invoice_settings?.default_payment_method);
      return object.id && paymentMethodId ? { customerId: object.id, paymentMethodId } : undefined;
    }
    default:
      return undefined;
  }
}
