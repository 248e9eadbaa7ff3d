import { describe, expect, it } from 'vitest';
import {
  PaymentAuthenticationRequiredError,
  syncSubscription,
  type BillingAccount,
  type BillingDeps,
  type PaymentGateway,
  type SubscriptionState,
} from '../../functions/domain/billing';

/**
 * A tenancy's first charge: refused off-session because the bank wants it authenticated, then made
 * again with allow_incomplete. What Stripe does with the second attempt decides whether the setup
 * may go on.
 */
function world(secondAttempt: 'asks for authentication' | 'declined') {
  const account: BillingAccount = { userId: 'usr_1', customerId: 'cus_1', version: 1, lines: [{ priceId: 'price_car', quantity: 1 }] };
  let subscription: SubscriptionState | undefined;
  const openInvoice = 'in_first';
  const calls: string[] = [];
  const payments = {
    getSubscription: async () => subscription,
    findOpenSubscription: async () => undefined,
    createSubscription: async (request: { allowIncomplete?: boolean }) => {
      calls.push(request.allowIncomplete ? 'create allow_incomplete' : 'create error_if_incomplete');
      if (!request.allowIncomplete) throw new PaymentAuthenticationRequiredError('The bank asks the card holder to authenticate.');
      subscription = { subscriptionId: 'sub_1', customerId: 'cus_1', status: 'incomplete', items: [{ itemId: 'si_1', priceId: 'price_car', quantity: 1 }] };
      return subscription;
    },
    // The latest invoice is open either way; its payment waits for authentication only in the first case.
    awaitingAuthentication: async (_subscriptionId: string, options?: { orUnpaid?: boolean }) =>
      secondAttempt === 'asks for authentication' || options?.orUnpaid ? openInvoice : undefined,
  } as unknown as PaymentGateway;
  const deps: BillingDeps = {
    billing: {
      get: async () => ({ ...account, ...(subscription ? { subscriptionId: subscription.subscriptionId } : {}) }),
      claimSubscriptionCreation: async () => true,
      releaseSubscriptionClaim: async () => undefined,
      recordSubscription: async () => undefined,
    } as unknown as BillingDeps['billing'],
    payments,
    users: { get: async () => undefined },
    clock: { now: () => new Date('2026-12-05T10:00:00Z') },
  };
  return { deps, calls, openInvoice };
}

describe('a first charge the bank wanted authenticated, made again with allow_incomplete', () => {
  it('waits on the open invoice when the bank asks for authentication', async () => {
    const { deps, calls, openInvoice } = world('asks for authentication');
    const result = await syncSubscription(deps, 'usr_1', 'setup-tn_1', { authenticate: true });
    expect(calls).toEqual(['create error_if_incomplete', 'create allow_incomplete']);
    expect(result.awaitingAuthentication).toBe(openInvoice);
  });

  it('also waits on the open invoice when Stripe declines the card this time, so the tenancy never goes live unpaid', async () => {
    const { deps, openInvoice } = world('declined');
    const result = await syncSubscription(deps, 'usr_1', 'setup-tn_1', { authenticate: true });
    expect(result.awaitingAuthentication).toBe(openInvoice);
  });
});
