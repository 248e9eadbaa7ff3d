/**
 * Plate sightings: an item per tenancy per plate it has held, under the plate's look-alike key
 * (`plateSighting#<folded>` / `tenancy#<tenancyId>`), written in the same transaction as the
 * tenancy (reserve) and as a plate change or addition. Each names the tenant, so the tenancies and
 * their tenants are read together next. Never deleted: a tenancy that moved to another plate is
 * read and left out by the use case, which compares its plates now.
 *
 * A car park's plate search reads the plate index (gsi3) instead: the tenancies whose first plate
 * it is, whole and with their tenant's name, beside the sightings (`platesAtCarpark`).
 */
import type { PlateSighting, TenantContact } from '../../domain/plate-lookup';
import { foldLookAlikes } from '../../domain/plates';
import type { Tenancy } from '../../domain/tenancies';
import { attributesOf, parseItem } from './entities/item';
import { plateSightingEntity, tenancyEntity } from './entities/tenancies';
import { TENANT_CONTACT_ATTRIBUTES, tenantContactEntity } from './entities/users';
import { tableSchema } from './table-schema';
import { keptTenantName } from './tenant-names';
import { ENTITY, INDEX, keys, plateIndexKeys } from './keys';
import { BATCH_GET_MAX, batchGet, batchGetItems, db, TableName, type TransactItem } from './table';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

/** The sighting of `plate` by a tenancy, to put in the transaction that gives it the plate (idempotent). */
export function plateSightingPut(t: Pick<Tenancy, 'tenancyId' | 'operatorId' | 'carparkId' | 'userId'>, plate: string): TransactItem {
  const folded = foldLookAlikes(plate);
  const sighting: PlateSighting = { folded, plate, tenancyId: t.tenancyId, operatorId: t.operatorId, carparkId: t.carparkId, userId: t.userId };
  return { Put: { TableName: TableName(), Item: { ...keys.plateSighting(folded, t.tenancyId), ...plateIndexKeys.sighting(sighting), type: ENTITY.plateSighting, ...sighting } } };
}

export const platesAtCarpark = {
  /**
   * 1 round trip: one query of the plate index at a car park. The tenancies whose first plate
   * has this look-alike key come whole, with their tenant's name where the item keeps it; the
   * sightings name every tenancy that has held the plate. At most `limit` items read.
   */
  async find(carparkId: string, folded: string, options: { limit: number }) {
    const index = INDEX.platesAtCarpark;
    const result = await db().send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :carpark)',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': index.partitionValue(folded), ':carpark': index.prefix(carparkId) },
        // Tenancies (`…#tenancy#`) before sightings (`…#sighting#`): what the limit leaves out is a sighting.
        ScanIndexForward: false,
        Limit: options.limit,
      }),
    );
    const items = result.Items ?? [];
    return {
      tenancies: items.filter((item) => item.type === ENTITY.tenancy).map((item) => ({ tenancy: parseItem(tenancyEntity, item), tenantName: keptTenantName(item) })),
      sightings: items.filter((item) => item.type === ENTITY.plateSighting).map((item) => parseItem(plateSightingEntity, item)),
      truncated: result.LastEvaluatedKey !== undefined,
    };
  },
};

export const plateSightings = {
  /** 1 round trip: one query of the look-alike key, an operator's only when asked (filtered), at most `limit` read. */
  async find(folded: string, options: { operatorId?: string; limit: number }) {
    const result = await db().send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.plateSightingPartition(folded), ...(options.operatorId ? { ':operatorId': options.operatorId } : {}) },
        ...(options.operatorId ? { FilterExpression: 'operatorId = :operatorId' } : {}),
        Limit: options.limit,
      }),
    );
    return { items: (result.Items ?? []).map((item) => parseItem(plateSightingEntity, item)), truncated: result.LastEvaluatedKey !== undefined };
  },
};

/**
 * Every attribute a tenancy or a tenant's contact is read with: a batch read has one projection
 * for the whole table, and the tenants' items hold more than the search shows (a password hash).
 * The tenancy's come from its schema, so a field added to it is read too.
 */
const TENANCY_AND_CONTACT_ATTRIBUTES = () => [
  ...new Set([tableSchema.partitionKey, tableSchema.sortKey, 'type', ...attributesOf(tenancyEntity), ...TENANT_CONTACT_ATTRIBUTES]),
];

/**
 * 1 round trip: tenancies and tenants (those of a plate's sightings: at most 100 each) in one
 * BatchGetItem (two at once past 100 keys).
 */
export const tenanciesWithTenants = {
  async get(tenancyIds: readonly string[], userIds: readonly string[]): Promise<{ tenancies: Tenancy[]; tenants: TenantContact[] }> {
    const wanted = [...tenancyIds.map((id) => keys.tenancy(id)), ...userIds.map((id) => keys.user(id))];
    if (wanted.length === 0) return { tenancies: [], tenants: [] };
    const chunks = Array.from({ length: Math.ceil(wanted.length / BATCH_GET_MAX) }, (_, i) => wanted.slice(i * BATCH_GET_MAX, (i + 1) * BATCH_GET_MAX));
    const attributes = TENANCY_AND_CONTACT_ATTRIBUTES();
    const items = (await Promise.all(chunks.map((chunk) => batchGetItems(chunk, attributes)))).flat();
    return {
      tenancies: items.filter((item) => item.type === ENTITY.tenancy).map((item) => parseItem(tenancyEntity, item)),
      tenants: items.filter((item) => item.type === ENTITY.user).map((item) => parseItem(tenantContactEntity, item)),
    };
  },
};

/** 1 round trip (BatchGetItem, at most 100): only what the look-up shows of each tenant is read. */
export const tenantsByIds = {
  getMany: (userIds: readonly string[]) => batchGet(tenantContactEntity, userIds.map((id) => keys.user(id)), TENANT_CONTACT_ATTRIBUTES),
};
