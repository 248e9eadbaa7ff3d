/**
 * A tenant's billing partition: the account, its lines (quantity per Stripe price) and arrears.
 * Keys: `keys.billingAccount`, `keys.billingLine`, `keys.arrears`, `keys.billingPartition` (keys.ts).
 */
import * as z from 'zod';
import type { BillingLine, CardSummary } from '../../../domain/billing';
import type { Arrears } from '../../../domain/dunning';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type SameShape } from './item';

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
const billingAccountSchema = z.object({
  userId: z.string(),
  customerId: z.string().optional(),
  subscriptionId: z.string().optional(),
  defaultCard: z
    .object({ paymentMethodId: z.string(), brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() })
    .optional(),
  version: z.number().int().optional(),
});
sameShape<SameShape<z.output<typeof billingAccountSchema>, BillingAccountItem>>();
sameShape<SameShape<NonNullable<z.output<typeof billingAccountSchema>['defaultCard']>, CardSummary>>();
export const billingAccountEntity = defineEntity<BillingAccountItem>(ENTITY.billingAccount, billingAccountSchema);

const billingLineSchema = z.object({ priceId: z.string(), quantity: z.number().int() });
sameShape<SameShape<z.output<typeof billingLineSchema>, BillingLine>>();
export const billingLineEntity = defineEntity<BillingLine>(ENTITY.billingLine, billingLineSchema);

/** `noticeClaimed` is only read by condition expressions, so it is dropped here. */
const arrearsSchema = z.object({
  userId: z.string(),
  customerId: z.string(),
  invoiceId: z.string(),
  number: z.string().nullable(),
  amountDue: z.number().int(),
  currency: z.string(),
  hostedInvoiceUrl: z.string().nullable(),
  since: z.string(),
  retryAt: z.array(z.string()),
  state: z.enum(['overdue', 'suspended', 'settled']),
  suspendedAt: z.string().optional(),
  authenticate: z.boolean().optional(),
});
sameShape<SameShape<z.output<typeof arrearsSchema>, Arrears>>();
export const arrearsEntity = defineEntity<Arrears>(ENTITY.arrears, arrearsSchema);
