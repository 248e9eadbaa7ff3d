/**
 * Waitlists: a line's entries and members, and the offers made from it. Keys:
 * `keys.waitlistEntry`, `keys.waitlistMember`, `keys.waitlistOffer`; index keys
 * `waitlistMemberIndexKeys`, `waitlistOfferIndexKeys` (keys.ts).
 */
import * as z from 'zod/mini';
import { VEHICLE_TYPES } from '../../../domain/carparks';
import { OFFER_STATUSES, type WaitlistEntry, type WaitlistOffer } from '../../../domain/waitlist';
import { ENTITY } from '../keys';
import { defineEntity, sameShape, type Built, type SameShape } from './item';

const entrySchema = () =>
  z.object({ carparkId: z.string(), vehicleType: z.enum(VEHICLE_TYPES), userId: z.string(), plate: z.string(), joinedAt: z.string() });
sameShape<SameShape<Built<typeof entrySchema>, WaitlistEntry>>();
export const waitlistEntryEntity = defineEntity<WaitlistEntry>(ENTITY.waitlistEntry, entrySchema);
/** The member item holds the same fields as the entry it points to. */
export const waitlistMemberEntity = defineEntity<WaitlistEntry>(ENTITY.waitlistMember, entrySchema);

const offerSchema = () =>
  z.object({
    offerId: z.string(),
    carparkId: z.string(),
    operatorId: z.string(),
    vehicleType: z.enum(VEHICLE_TYPES),
    userId: z.string(),
    plate: z.string(),
    status: z.enum(OFFER_STATUSES),
    joinedAt: z.string(),
    offeredAt: z.string(),
    expiresAt: z.string(),
    spaceFreedAt: z.string(),
    resolvedAt: z.optional(z.string()),
    tenancyId: z.optional(z.string()),
    counted: z.optional(z.boolean()),
  });
sameShape<SameShape<Built<typeof offerSchema>, WaitlistOffer>>();
export const waitlistOfferEntity = defineEntity<WaitlistOffer>(ENTITY.waitlistOffer, offerSchema);
