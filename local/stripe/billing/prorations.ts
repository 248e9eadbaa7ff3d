import type { App, Op } from '../app';
import { invoiceItemTemplate } from '../objects/templates';
import type { Rec } from '../store';
import type { JsonObject } from '../types';
import { formatDate, prorate } from './periods';
import { fullPeriodStart, periodOf, productName, unitAmount } from './lines';

/**
 * Prorations for item changes inside a period: a credit for the unused time at the old state and
 * a charge for it at the new one, to the second, kept as pending invoice items (`ii_...`) until an
 * invoice absorbs them.
 */

export type ItemChange =
  | { kind: 'add'; price: Rec; quantity: number; metadata: JsonObject }
  | { kind: 'update'; item: Rec; price?: Rec; quantity?: number; metadata?: JsonObject }
  | { kind: 'delete'; item: Rec };

export interface ProrationSpec {
  price: Rec;
  quantity: number;
  amount: number;
  description: string;
  itemId: string;
}

/** Credit for the unused rest of the period at the old state, charge for it at the new one. */
export function prorationSpecs(app: App, sub: Rec, changes: ItemChange[], at: number, newItemIds: Map<ItemChange, string>): ProrationSpec[] {
  const { end } = periodOf(sub);
  const fullStart = fullPeriodStart(sub);
  if (at >= end) return [];
  const specs: ProrationSpec[] = [];
  const after = formatDate(at);
  const credit = (price: Rec, quantity: number, itemId: string) => {
    const amount = -prorate(unitAmount(price) * quantity, at, fullStart, end);
    if (amount !== 0) specs.push({ price, quantity, amount, itemId, description: `Unused time on ${quantity} × ${productName(app, price)} after ${after}` });
  };
  const charge = (price: Rec, quantity: number, itemId: string) => {
    const amount = prorate(unitAmount(price) * quantity, at, fullStart, end);
    if (amount !== 0) specs.push({ price, quantity, amount, itemId, description: `Remaining time on ${quantity} × ${productName(app, price)} after ${after}` });
  };
  for (const change of changes) {
    if (change.kind === 'add') {
      charge(change.price, change.quantity, newItemIds.get(change) ?? '');
    } else if (change.kind === 'delete') {
      credit(app.store.require('price', String(change.item.__price)), Number(change.item.quantity), String(change.item.id));
    } else {
      const oldPrice = app.store.require('price', String(change.item.__price));
      const newPrice = change.price ?? oldPrice;
      const oldQty = Number(change.item.quantity);
      const newQty = change.quantity ?? oldQty;
      if (newPrice.id === oldPrice.id && newQty === oldQty) continue;
      credit(oldPrice, oldQty, String(change.item.id));
      charge(newPrice, newQty, String(change.item.id));
    }
  }
  return specs;
}

export function createProrations(op: Op, sub: Rec, changes: ItemChange[], at: number, newItemIds = new Map<ItemChange, string>()): Rec[] {
  const { app } = op;
  const { end } = periodOf(sub);
  const created: Rec[] = [];
  for (const spec of prorationSpecs(app, sub, changes, at, newItemIds)) {
    const ii: Rec = invoiceItemTemplate({
      id: app.store.newId('invoiceitem'),
      amount: spec.amount,
      currency: String(spec.price.currency),
      customer: String(sub.customer),
      date: at,
      description: spec.description,
      net_amount: spec.amount,
      parent: { type: 'subscription_details', subscription_details: { subscription: String(sub.id), subscription_item: spec.itemId } },
      period: { end, start: at },
      pricing: { type: 'price_details', price_details: { price: String(spec.price.id), product: String(spec.price.product) }, unit_amount_decimal: String(spec.price.unit_amount_decimal ?? '0') },
      proration: true,
      quantity: spec.quantity,
      quantity_decimal: String(spec.quantity),
      test_clock: sub.test_clock ?? null,
    });
    ii.__price = String(spec.price.id);
    ii.__subscription = String(sub.id);
    ii.__subscription_item = spec.itemId;
    app.store.insert('invoiceitem', ii);
    app.emit(op, 'invoiceitem.created', app.render('invoiceitem', ii));
    created.push(ii);
  }
  return created;
}
