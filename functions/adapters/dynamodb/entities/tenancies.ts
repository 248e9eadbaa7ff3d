/**
 * Tenancies. Keys: `keys.tenancy`, index keys `tenancyIndexKeys` (by tenant, newest first; by car
 * park) and `keys.plateClaim` for the plate it holds at its barrier (keys.ts).
 */
import * as z from 'zod';
import { VEHICLE_TYPES } from '../../../domain/carparks';
import type { PlateSighting } from '../../../domain/plate-lookup';
import { BARRIER_STATUSES, TENANCY_STATUSES, type Tenancy } from '../../../domain/tenancies';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type SameShape } from './item';

const vehicleType = z.enum(VEHICLE_TYPES);

const tenancySchema = z.object({
  tenancyId: z.string(),
  userId: z.string(),
  carparkId: z.string(),
  operatorId: z.string(),
  siteId: z.string().optional(),
  vehicleType,
  plate: z.string(),
  status: z.enum(TENANCY_STATUSES),
  failureReason: z.string().optional(),
  startDate: z.string(),
  priceId: z.string(),
  monthlyAmount: z.number().int(),
  currency: z.string(),
  barrier: z.object({ status: z.enum(BARRIER_STATUSES), changedAt: z.string() }),
  endsAt: z.string().optional(),
  renewsAt: z.string().optional(),
  pendingPlate: z.string().optional(),
  previousVehicle: z.object({ vehicleType, priceId: z.string(), monthlyAmount: z.number().int() }).optional(),
  arrears: z
    .object({
      state: z.enum(['overdue', 'suspended']),
      invoiceId: z.string(),
      since: z.string(),
      amountDue: z.number().int(),
      currency: z.string(),
    })
    .optional(),
  suspendedFrom: z.enum(['active', 'cancelling']).optional(),
  awaitingAuthentication: z.object({ invoiceId: z.string(), until: z.string() }).optional(),
  cancellationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<SameShape<z.output<typeof tenancySchema>, Tenancy>>();
export const tenancyEntity = defineEntity<Tenancy>(ENTITY.tenancy, tenancySchema);

const plateSightingSchema = z.object({
  folded: z.string(),
  plate: z.string(),
  tenancyId: z.string(),
  operatorId: z.string(),
  carparkId: z.string(),
});
sameShape<SameShape<z.output<typeof plateSightingSchema>, PlateSighting>>();
export const plateSightingEntity = defineEntity<PlateSighting>(ENTITY.plateSighting, plateSightingSchema);
