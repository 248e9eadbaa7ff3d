import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { customerWithCard, monthlyPrice, startHarness } from './helpers';

describe('dataFile persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-standin-'));
  const dataFile = join(dir, 'stripe.json');

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps customers, subscriptions, invoices and idempotency keys across a restart', async () => {
    // Prepare
    const first = await startHarness({ dataFile });
    const { customer } = await customerWithCard(first.stripe, 'pm_card_visa');
    const price = await monthlyPrice(first.stripe, 6_000);
    const sub = await first.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] }, { idempotencyKey: 'sub-before-restart' });
    await first.standin.close();
    // Act
    const second = await startHarness({ dataFile });
    try {
      // Assess
      const again = await second.stripe.subscriptions.retrieve(sub.id);
      expect(again).toMatchObject({ status: 'active', customer: customer.id });
      expect(again.items.data[0]?.quantity).toBe(2);
      expect((await second.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(1);
      const replay = await second.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] }, { idempotencyKey: 'sub-before-restart' });
      expect(replay.id).toBe(sub.id);
      expect(second.standin.state.count('subscription')).toBe(1);
      const next = await second.stripe.customers.create({ email: 'after-restart@example.com' });
      expect(next.id).not.toBe(customer.id);
    } finally {
      await second.standin.close();
    }
  });
});
