/**
 * Tenancies. Keys: `keys.tenancy`, index keys `tenancyIndexKeys` (by tenant, newest first; by car
 * park) and `keys.plateClaim` for the plate it holds at its barrier (keys.ts).
 */
import * as z from 'zod/mini';
import { VEHICLE_TYPES } from '../../../domain/carparks';
import type { PlateSighting } from '../../../domain/plate-lookup';
import { BARRIER_STATUSES, TENANCY_STATUSES, type ListedTenancy, type Tenancy } from '../../../domain/tenancies';
import { TIMELINE_EVENT_KINDS, TIMELINE_SOURCES, type TimelineEvent } from '../../../domain/tenancy-timeline';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

const vehicleType = z.enum(VEHICLE_TYPES);

const tenancySchema = () => z.object({
  tenancyId: z.string(),
  userId: z.string(),
  carparkId: z.string(),
  operatorId: z.string(),
  siteId: z.optional(z.string()),
  vehicleType,
  plate: z.string(),
  extraPlates: z.optional(z.array(z.string())),
  retiredPlates: z.optional(z.array(z.object({ plate: z.string(), until: z.string() }))),
  status: z.enum(TENANCY_STATUSES),
  failureReason: z.optional(z.string()),
  startDate: z.string(),
  priceId: z.string(),
  monthlyAmount: z.number().check(z.int()),
  currency: z.string(),
  barrier: z.object({ status: z.enum(BARRIER_STATUSES), changedAt: z.string() }),
  endsAt: z.optional(z.string()),
  renewsAt: z.optional(z.string()),
  pendingPlate: z.optional(z.string()),
  addingPlate: z.optional(z.boolean()),
  previousVehicle: z.optional(z.object({ vehicleType, priceId: z.string(), monthlyAmount: z.number().check(z.int()) })),
  arrears: z.optional(
    z.object({
      state: z.enum(['overdue', 'suspended']),
      invoiceId: z.string(),
      since: z.string(),
      amountDue: z.number().check(z.int()),
      currency: z.string(),
    }),
  ),
  suspendedFrom: z.optional(z.enum(['active', 'cancelling'])),
  awaitingAuthentication: z.optional(z.object({ invoiceId: z.string(), until: z.string(), withdrawn: z.optional(z.boolean()) })),
  cancellationId: z.optional(z.string()),
  priceChange: z.optional(
    z.object({
      previousPriceId: z.string(),
      previousAmount: z.number().check(z.int()),
      from: z.string(),
      at: z.string(),
      notifiedAt: z.optional(z.string()),
    }),
  ),
  quotedAt: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<SameShape<Built<typeof tenancySchema>, Tenancy>>();
export const tenancyEntity = defineEntity<Tenancy>(ENTITY.tenancy, tenancySchema);

// `tenantName` is TENANT_NAME_ATTRIBUTE (tenant-names.ts), which the renames write.
const listedTenancySchema = () => z.extend(tenancySchema(), { tenantName: z.optional(z.string()) });
sameShape<SameShape<Built<typeof listedTenancySchema>, ListedTenancy>>();
/** A tenancy with the name it keeps of its tenant (see tenant-names.ts), to show a person. */
export const listedTenancyEntity = defineEntity<ListedTenancy>(ENTITY.tenancy, listedTenancySchema);

const plateSightingSchema = () => z.object({
  folded: z.string(),
  plate: z.string(),
  tenancyId: z.string(),
  operatorId: z.string(),
  carparkId: z.string(),
  userId: z.optional(z.string()),
});
sameShape<SameShape<Built<typeof plateSightingSchema>, PlateSighting>>();
export const plateSightingEntity = defineEntity<PlateSighting>(ENTITY.plateSighting, plateSightingSchema);

const tenancyEventSchema = () => z.object({
  tenancyId: z.string(),
  at: z.string(),
  kind: z.enum(TIMELINE_EVENT_KINDS),
  source: z.enum(TIMELINE_SOURCES),
  detail: z.optional(z.readonly(z.record(z.string(), z.union([z.string(), z.number()])))),
});
sameShape<SameShape<Built<typeof tenancyEventSchema>, TimelineEvent>>();
export const tenancyEventEntity = defineEntity<TimelineEvent>(ENTITY.tenancyEvent, tenancyEventSchema);
