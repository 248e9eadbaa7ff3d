import type { App, Op } from '../app';
import { BILLING_STATUSES } from './lines';
import { boundary, type Interval } from './periods';
import { cancelSubscription, chargeAutomatically, expireIncomplete, finalizeDueDraft, renew } from './subscriptions';

/** What the passage of time does to subscriptions: renewals, payment retries, expiries, scheduled cancellations. */

interface Action {
  at: number;
  order: number;
  run: (op: Op) => void;
}

function nextAction(app: App, clockId: string | null, target: number): Action | null {
  const customers = new Set(
    app.store
      .all('customer')
      .filter((c) => !c.__deleted && (c.test_clock ?? null) === clockId)
      .map((c) => String(c.id)),
  );
  let best: Action | null = null;
  const consider = (a: Action) => {
    if (a.at > target) return;
    if (!best || a.at < best.at || (a.at === best.at && a.order < best.order)) best = a;
  };
  for (const inv of app.store.all('invoice')) {
    if (!customers.has(String(inv.customer)) || inv.auto_advance !== true) continue;
    if (inv.status === 'draft' && typeof inv.automatically_finalizes_at === 'number') {
      const at = inv.automatically_finalizes_at;
      consider({ at, order: 0, run: (op) => finalizeDueDraft(op, inv, at) });
      continue;
    }
    if (inv.status !== 'open') continue;
    if (typeof inv.next_payment_attempt !== 'number') continue;
    consider({ at: inv.next_payment_attempt, order: 0, run: (op) => chargeAutomatically(op, inv, inv.next_payment_attempt as number) });
  }
  for (const sub of app.store.all('subscription')) {
    if (!customers.has(String(sub.customer))) continue;
    const status = String(sub.status);
    if (status === 'incomplete') {
      const at = Number(sub.created) + app.billing.incompleteExpirySeconds;
      consider({ at, order: 1, run: (op) => expireIncomplete(op, sub, at) });
    } else if (BILLING_STATUSES.has(status)) {
      const end = Number(sub.__period_end);
      const cancelAt = typeof sub.cancel_at === 'number' ? sub.cancel_at : null;
      if (cancelAt !== null && cancelAt <= end) {
        consider({ at: cancelAt, order: 2, run: (op) => cancelSubscription(op, sub, cancelAt, { reason: 'cancellation_requested' }) });
      } else {
        consider({ at: end, order: 3, run: (op) => renew(op, sub, end) });
      }
    }
  }
  return best;
}

/**
 * Runs everything due up to `target` for the customers on one test clock (or, with null, the
 * customers on no clock) in time order: renewals, retries, expiries, scheduled cancellations.
 * Each runs at its own time, so advancing two months yields two invoices dated a month apart.
 */
export function advanceTime(app: App, clockId: string | null, target: number, onStep?: (at: number) => void): number {
  const op: Op = { app, origin: null };
  let steps = 0;
  for (;;) {
    const action = nextAction(app, clockId, target);
    if (!action) break;
    steps += 1;
    if (steps > 10_000) throw new Error('billing engine did not converge');
    onStep?.(action.at);
    action.run(op);
  }
  return steps;
}

/** The latest time a test clock may advance to: two intervals of its shortest subscription, else two years. */
export function advanceLimit(app: App, clockId: string, from: number): number {
  const customers = new Set(app.store.all('customer').filter((c) => c.test_clock === clockId).map((c) => String(c.id)));
  let limit = boundary(from, 'year', 1, 2);
  for (const sub of app.store.all('subscription')) {
    if (!customers.has(String(sub.customer)) || sub.status === 'canceled' || sub.status === 'incomplete_expired') continue;
    limit = Math.min(limit, boundary(from, sub.__interval as Interval, Number(sub.__interval_count), 2));
  }
  return limit;
}
