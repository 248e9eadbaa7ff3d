/**
 * Stripe customers (which tenant a customer is) and paid invoices (whether the receipt went out).
 * Keys: `keys.stripeCustomer`, `keys.payment` (keys.ts).
 */
import * as z from 'zod/mini';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

export interface StripeCustomerLink {
  readonly customerId: string;
  readonly userId: string;
}
const stripeCustomerSchema = () => z.object({ customerId: z.string(), userId: z.string() });
sameShape<SameShape<Built<typeof stripeCustomerSchema>, StripeCustomerLink>>();
export const stripeCustomerEntity = defineEntity<StripeCustomerLink>(ENTITY.stripeCustomer, stripeCustomerSchema);

/** A paid invoice as stored by `paymentStore.claimReceipt`. */
export interface PaymentRecord {
  readonly userId: string;
  readonly customerId: string;
  readonly amountPaid: number;
  readonly currency: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly paidAt: string;
  /** Epoch ms: a receipt is being sent until then. */
  readonly receiptLeaseUntil?: number;
  readonly receiptSentAt?: string;
}
const paymentSchema = () => z.object({
  userId: z.string(),
  customerId: z.string(),
  amountPaid: z.number().check(z.int()),
  currency: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  paidAt: z.string(),
  receiptLeaseUntil: z.optional(z.number()),
  receiptSentAt: z.optional(z.string()),
});
sameShape<SameShape<Built<typeof paymentSchema>, PaymentRecord>>();
export const paymentEntity = defineEntity<PaymentRecord>(ENTITY.payment, paymentSchema);

/** A rate-limit counter as an update returns it. */
export interface RateLimitWindow {
  readonly count: number;
  /** Epoch ms. */
  readonly windowEndsAt: number;
}
const rateLimitSchema = () => z.object({ count: z.number().check(z.int()), windowEndsAt: z.number() });
sameShape<SameShape<Built<typeof rateLimitSchema>, RateLimitWindow>>();
export const rateLimitEntity = defineEntity<RateLimitWindow>(ENTITY.rateLimit, rateLimitSchema);
