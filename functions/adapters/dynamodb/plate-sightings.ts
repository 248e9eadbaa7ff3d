/**
 * Plate sightings: an item per tenancy per plate it has held, under the plate's look-alike key
 * (`plateSighting#<folded>` / `tenancy#<tenancyId>`), written in the same transaction as the
 * tenancy (reserve) and as a plate change (startPlateChange). Never deleted: a tenancy that moved
 * to another plate is read and left out by the use case, which compares its plate now.
 */
import type { PlateSighting } from '../../domain/plate-lookup';
import { foldLookAlikes } from '../../domain/plates';
import type { Tenancy } from '../../domain/tenancies';
import { parseItem } from './entities/item';
import { plateSightingEntity, tenancyEntity } from './entities/tenancies';
import { userEntity } from './entities/users';
import { ENTITY, keys } from './keys';
import { batchGet, db, TableName, type TransactItem } from './table';
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

/** 1 round trip (BatchGetItem, at most 100): only what the look-up shows of each tenant. */
export const tenantsByIds = {
  async getMany(userIds: readonly string[]) {
    const users = await batchGet(userEntity, userIds.map((id) => keys.user(id)));
    return users.map(({ userId, name, email }) => ({ userId, name, email }));
  },
};
