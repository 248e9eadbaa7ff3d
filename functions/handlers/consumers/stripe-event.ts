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
