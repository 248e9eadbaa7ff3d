/**
 * A tenant's billing partition: the account, its lines (quantity per Stripe price) and arrears.
 * Keys: `keys.billingAccount`, `keys.billingLine`, `keys.arrears`, `keys.billingPartition` (keys.ts).
 */
import * as z from 'zod/mini';
import type { BillingLine, CardSummary } from '../../../domain/billing';
import type { Arrears } from '../../../domain/dunning';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

/**
 * The account as stored. `creationClaim` is only ever read by condition expressions, so it is
 * dropped here; `version` is absent until the first line is counted.
 */
export interface BillingAccountItem {
  readonly userId: string;
  readonly customerId?: string;
  readonly subscriptionId?: string;
  readonly defaultCard?: CardSummary;
  readonly version?: number;
}
const billingAccountSchema = () => z.object({
  userId: z.string(),
  customerId: z.optional(z.string()),
  subscriptionId: z.optional(z.string()),
  defaultCard: z.optional(
    z.object({ paymentMethodId: z.string(), brand: z.string(), last4: z.string(), expMonth: z.number().check(z.int()), expYear: z.number().check(z.int()) }),
  ),
  version: z.optional(z.number().check(z.int())),
});
sameShape<SameShape<Built<typeof billingAccountSchema>, BillingAccountItem>>();
sameShape<SameShape<NonNullable<Built<typeof billingAccountSchema>['defaultCard']>, CardSummary>>();
export const billingAccountEntity = defineEntity<BillingAccountItem>(ENTITY.billingAccount, billingAccountSchema);

const billingLineSchema = () => z.object({ priceId: z.string(), quantity: z.number().check(z.int()), family: z.optional(z.string()) });
sameShape<SameShape<Built<typeof billingLineSchema>, BillingLine>>();
export const billingLineEntity = defineEntity<BillingLine>(ENTITY.billingLine, billingLineSchema);

/** `noticeClaimed` is only read by condition expressions, so it is dropped here. */
const arrearsSchema = () => z.object({
  userId: z.string(),
  customerId: z.string(),
  invoiceId: z.string(),
  number: z.nullable(z.string()),
  amountDue: z.number().check(z.int()),
  currency: z.string(),
  hostedInvoiceUrl: z.nullable(z.string()),
  since: z.string(),
  retryAt: z.array(z.string()),
  state: z.enum(['overdue', 'suspended', 'settled']),
  suspendedAt: z.optional(z.string()),
  openedAt: z.optional(z.string()),
  authenticate: z.optional(z.boolean()),
});
sameShape<SameShape<Built<typeof arrearsSchema>, Arrears>>();
export const arrearsEntity = defineEntity<Arrears>(ENTITY.arrears, arrearsSchema);
