import type { Store, Rec } from '../store';
import { publicView } from '../store';
import type { JsonObject, Kind } from '../types';
import { deletedObject, planFromPrice } from './templates';

/** Invoices embed at most this many lines; the rest are read through `/v1/invoices/:id/lines`. */
export const EMBEDDED_LINES = 10;

/**
 * Turns a stored record into the object Stripe would return. Most records are stored in their
 * public shape; a few fields are derived on read so they always reflect current state (a
 * subscription's items, an item's price, deleted customers' stubs).
 */
export function render(store: Store, kind: Kind, rec: Rec): JsonObject {
  switch (kind) {
    case 'customer':
      return rec.__deleted ? deletedObject('customer', String(rec.id)) : publicView(rec);
    case 'subscription':
      return renderSubscription(store, rec);
    case 'subscription_item':
      return renderItem(store, rec);
    case 'invoice':
      return renderInvoice(rec);
    default:
      return publicView(rec);
  }
}

export function renderItem(store: Store, rec: Rec): JsonObject {
  const out = publicView(rec);
  const price = store.get('price', String(rec.__price));
  if (price) {
    const p = publicView(price);
    out.price = p;
    out.plan = planFromPrice(p);
  }
  return out;
}

/** Live items of a subscription in creation order. */
export function subscriptionItems(store: Store, subscriptionId: string): Rec[] {
  return store.all('subscription_item').filter((i) => i.subscription === subscriptionId && !i.__deleted);
}

function renderSubscription(store: Store, rec: Rec): JsonObject {
  const out = publicView(rec);
  const items = subscriptionItems(store, String(rec.id)).map((i) => renderItem(store, i));
  // Embedded lists carry no total_count: neither Stripe's example objects nor the SDK's ApiList show one.
  out.items = { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${String(rec.id)}` };
  return out;
}

function renderInvoice(rec: Rec): JsonObject {
  const out = publicView(rec);
  const lines = Array.isArray(rec.__lines) ? (rec.__lines as JsonObject[]) : [];
  const url = rec.id ? `/v1/invoices/${String(rec.id)}/lines` : '/v1/invoices/create_preview/lines';
  out.lines = {
    object: 'list',
    data: structuredClone(lines.slice(0, EMBEDDED_LINES)),
    has_more: lines.length > EMBEDDED_LINES,
    url,
  };
  return out;
}
