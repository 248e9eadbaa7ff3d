/**
 * Plate sightings: an item per tenancy per plate it has held, under the plate's look-alike key
 * (`plateSighting#<folded>` / `tenancy#<tenancyId>`), written in the same transaction as the
 * tenancy (reserve) and as a plate change (startPlateChange). Never deleted: a tenancy that moved
 * to another plate is read and left out by the use case, which compares its plate now.
 */
import type { PlateSighting } from '../../domain/plate-lookup';
import { foldLookAlikes } from '../../domain/plates';
import type { Tenancy } from '../../domain/tenancies';
import type { Carpark } from '../../domain/carparks';
import { carparkEntity } from './entities/carparks';
import { parseItem, type StoredItem } from './entities/item';
import { plateSightingEntity, tenancyEntity } from './entities/tenancies';
import { TENANT_CONTACT_ATTRIBUTES, tenantContactEntity } from './entities/users';
import { ENTITY, keys } from './keys';
import { BATCH_GET_MAX, batchGet, batchGetItems, db, getItem, TableName, type TransactItem } from './table';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

/** The sighting of `plate` by a tenancy, to put in the transaction that gives it the plate (idempotent). */
export function plateSightingPut(t: Pick<Tenancy, 'tenancyId' | 'operatorId' | 'carparkId'>, plate: string): TransactItem {
  const folded = foldLookAlikes(plate);
  const sighting: PlateSighting = { folded, plate, tenancyId: t.tenancyId, operatorId: t.operatorId, carparkId: t.carparkId };
  return { Put: { TableName: TableName(), Item: { ...keys.plateSighting(folded, t.tenancyId), type: ENTITY.plateSighting, ...sighting } } };
}

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

/** 1 round trip (BatchGetItem, at most 100). */
export const tenanciesByIds = {
  getMany: (tenancyIds: readonly string[]) => batchGet(tenancyEntity, tenancyIds.map((id) => keys.tenancy(id))),
};

/**
 * 1 round trip: a car park and some tenancies (those of a plate: at most 100) in one BatchGetItem
 * (two at once past 99 tenancies), or a GetItem of the car park alone when there are none.
 */
export const carparkWithTenancies = {
  async get(carparkId: string, tenancyIds: readonly string[]): Promise<{ carpark: Carpark | undefined; tenancies: Tenancy[] }> {
    const carparkKey = keys.carpark(carparkId);
    if (tenancyIds.length === 0) return { carpark: await getItem(carparkEntity, carparkKey), tenancies: [] };
    const wanted = [carparkKey, ...tenancyIds.map((id) => keys.tenancy(id))];
    const chunks = Array.from({ length: Math.ceil(wanted.length / BATCH_GET_MAX) }, (_, i) => wanted.slice(i * BATCH_GET_MAX, (i + 1) * BATCH_GET_MAX));
    const items = (await Promise.all(chunks.map((chunk) => batchGetItems(chunk)))).flat();
    const isCarpark = (item: StoredItem) => item.pk === carparkKey.pk && item.sk === carparkKey.sk;
    const stored = items.find(isCarpark);
    return {
      carpark: stored ? parseItem(carparkEntity, stored) : undefined,
      tenancies: items.filter((item) => !isCarpark(item)).map((item) => parseItem(tenancyEntity, item)),
    };
  },
};

/** 1 round trip (BatchGetItem, at most 100): only what the look-up shows of each tenant is read. */
export const tenantsByIds = {
  getMany: (userIds: readonly string[]) => batchGet(tenantContactEntity, userIds.map((id) => keys.user(id)), TENANT_CONTACT_ATTRIBUTES),
};
