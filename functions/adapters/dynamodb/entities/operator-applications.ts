/**
 * Operator applications. Keys: `keys.operatorApplication`, `keys.openApplication`; index keys
 * `applicationIndexKeys` (keys.ts).
 */
import * as z from 'zod/mini';
import { CURRENCIES } from '../../../domain/carparks';
import { APPLICATION_STATUSES, type OperatorApplication } from '../../../domain/operator-applications';
import { ENTITY } from '../keys';
import { addressSchema, perVehicleType } from './carparks';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

const applicationSchema = () => z.object({
  applicationId: z.string(),
  userId: z.string(),
  applicantEmail: z.string(),
  applicantName: z.string(),
  companyName: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  carpark: z.object({
    name: z.string(),
    address: addressSchema(),
    currency: z.enum(CURRENCIES),
    prices: perVehicleType,
    capacity: perVehicleType,
    smartParkingSiteId: z.string(),
    supportEmail: z.string(),
  }),
  status: z.enum(APPLICATION_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedAt: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  rejectionReason: z.optional(z.string()),
  operatorId: z.optional(z.string()),
  carparkId: z.optional(z.string()),
  approvalLease: z.optional(z.string()),
  approvalLeaseUntil: z.optional(z.string()),
});
sameShape<SameShape<Built<typeof applicationSchema>, OperatorApplication>>();
export const operatorApplicationEntity = defineEntity<OperatorApplication>(ENTITY.operatorApplication, applicationSchema);
