/**
 * The tenant's name kept on each of their tenancies' items (`tenantName`), so a search by plate
 * (the plate index, gsi3, which reads tenancies whole) shows who holds a plate without reading the
 * tenants. Written with the tenancy (the use case reads the tenant beside the car park); a change
 * of name is copied to every tenancy of the tenant after the user's own update, each copy only
 * while the user still has that name, so of two renames at once the later wins. The copy is not one transaction with the
 * rename: a rename retried copies again, and `npm run plate-index -- --write` puts right what is
 * left behind (a copy that failed, or a tenancy created while its tenant was being renamed).
 */
import { INDEX, keys } from './keys';
import { queryAll, TableName, transact } from './table';
import { tableSchema } from './table-schema';

export const TENANT_NAME_ATTRIBUTE = 'tenantName';

/** Tenancies of one tenant renamed at once. */
const RENAMES_AT_ONCE = 10;
/** A tenant's tenancies read to rename them (MAX_TENANCIES_PER_TENANT): past it the copy stops with an error. */
const MAX_TENANCIES_RENAMED = 1_000;

/** The name an item keeps, if any. */
export const keptTenantName = (item: Record<string, unknown>): string | undefined =>
  typeof item[TENANT_NAME_ATTRIBUTE] === 'string' ? (item[TENANT_NAME_ATTRIBUTE] as string) : undefined;

/** 1 query (keys and kept names), then a transaction for each tenancy whose kept name differs. */
export async function renameTenant(userId: string, name: string): Promise<void> {
  const index = INDEX.tenanciesByUser;
  const found = await queryAll(
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#tablePk': tableSchema.partitionKey, '#tableSk': tableSchema.sortKey, '#tenantName': TENANT_NAME_ATTRIBUTE },
      ExpressionAttributeValues: { ':pk': index.partitionValue(userId), ':prefix': 'tenancy#' },
      ProjectionExpression: '#tablePk, #tableSk, #tenantName',
    },
    { what: `tenancies of ${userId} to rename`, maxItems: MAX_TENANCIES_RENAMED, maxPages: 50 },
  );
  const stale = found
    .filter((item) => keptTenantName(item) !== name)
    .map((item) => ({ [tableSchema.partitionKey]: item[tableSchema.partitionKey], [tableSchema.sortKey]: item[tableSchema.sortKey] }));
  for (let i = 0; i < stale.length; i += RENAMES_AT_ONCE) {
    await Promise.all(stale.slice(i, i + RENAMES_AT_ONCE).map((tenancyKey) => renameOne(userId, tenancyKey, name)));
  }
}

/** The name onto one tenancy, only while the user still has it (a later rename copies its own) and the tenancy is there. */
async function renameOne(userId: string, tenancyKey: Record<string, unknown>, name: string): Promise<void> {
  const names = { '#name': 'name' };
  await transact([
    { ConditionCheck: { TableName: TableName(), Key: keys.user(userId), ConditionExpression: '#name = :name', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':name': name } } },
    {
      Update: {
        TableName: TableName(),
        Key: tenancyKey,
        UpdateExpression: 'SET #tenantName = :name',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#tenantName': TENANT_NAME_ATTRIBUTE, '#pk': tableSchema.partitionKey },
        ExpressionAttributeValues: { ':name': name },
      },
    },
  ]);
}
