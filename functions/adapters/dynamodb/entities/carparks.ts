/**
 * Operators and their car parks. Keys: `keys.operator`, `keys.carpark`, `keys.siteClaim`;
 * index keys `indexKeys.allCarparks`, `indexKeys.operatorItems` (keys.ts).
 */
import * as z from 'zod/mini';
import { CURRENCIES, VEHICLE_TYPES, type Carpark } from '../../../domain/carparks';
import type { Operator } from '../../../domain/operators';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

const operatorSchema = () => z.object({
  operatorId: z.string(),
  name: z.string(),
  contactEmail: z.string(),
  createdAt: z.string(),
});
sameShape<SameShape<Built<typeof operatorSchema>, Operator>>();
export const operatorEntity = defineEntity<Operator>(ENTITY.operator, operatorSchema);

export const perVehicleType = z.partialRecord(z.enum(VEHICLE_TYPES), z.number().check(z.int()));

export const addressSchema = () =>
  z.object({
    line1: z.string(),
    line2: z.optional(z.string()),
    city: z.string(),
    postcode: z.string(),
    country: z.string(),
  });

const carparkSchema = () => z.object({
  carparkId: z.string(),
  operatorId: z.string(),
  name: z.string(),
  address: addressSchema(),
  currency: z.enum(CURRENCIES),
  prices: perVehicleType,
  capacity: perVehicleType,
  occupied: perVehicleType,
  offered: z.optional(perVehicleType),
  waiting: z.optional(perVehicleType),
  offerHours: z.optional(z.number().check(z.int())),
  platesPerTenancy: z.optional(z.number().check(z.int())),
  smartParkingSiteId: z.string(),
  supportEmail: z.string(),
  timeZone: z.optional(z.string()),
  stripeProductId: z.optional(z.string()),
  stripePrices: z.optional(z.partialRecord(z.enum(VEHICLE_TYPES), z.string())),
  priceVersion: z.optional(z.number().check(z.int())),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<SameShape<Built<typeof carparkSchema>, Carpark>>();
export const carparkEntity = defineEntity<Carpark>(ENTITY.carpark, carparkSchema);
