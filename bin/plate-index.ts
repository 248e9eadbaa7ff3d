/**
 * The plate index (gsi3) and the tenant names kept on tenancies, against the table:
 * `npm run plate-index` reads the whole table (a Scan: an operator's command, never a request
 * path) and names every tenancy or plate sighting missing from the index, or under the wrong
 * plate, and every tenancy whose kept tenant name is not its tenant's (exit 1 if any).
 * `npm run plate-index -- --write` puts them right, and is safe while the table is in use: each
 * write is conditioned on the plate (and the name) it was worked out from, so a plate change or a
 * rename meanwhile, which writes its own, is left alone. Run it once after deploying the index.
 *
 * Reads the table named by TABLE_NAME with the usual AWS settings; for the offline twin:
 * `TABLE_NAME=carpark-tenancy-local AWS_ENDPOINT_URL_DYNAMODB=<the DynamoDB URL npm start prints>`.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../functions/adapters/dynamodb/expressions';
import { ENTITY, keys, plateIndexKeys } from '../functions/adapters/dynamodb/keys';
import { batchGetItems, BATCH_GET_MAX, db, TableName } from '../functions/adapters/dynamodb/table';
import { tableSchema } from '../functions/adapters/dynamodb/table-schema';
import { keptTenantName, TENANT_NAME_ATTRIBUTE } from '../functions/adapters/dynamodb/tenant-names';
import { runWhenMain } from './command';
import { scanTable } from './table-scan';

type Item = Record<string, unknown>;

/** What an item should hold and does not. */
export interface PlateIndexRepair {
  readonly key: { pk: string; sk: string };
  readonly what: 'tenancy' | 'sighting';
  /** The plate it is indexed under, and (tenancies) the tenant name it keeps. */
  readonly plate: string;
  readonly indexKeys: Record<string, string>;
  readonly tenantName?: string | undefined;
  /** The name kept when read (absent: none), for the write's condition. */
  readonly keptName?: string | undefined;
  readonly reasons: readonly string[];
}

const PLATE_INDEX = tableSchema.globalSecondaryIndexes.find((index) => index.indexName === 'gsi3')!;

/** Every tenancy and sighting whose plate index keys or kept tenant name are wrong, in one pass. */
export async function checkPlateIndex(): Promise<PlateIndexRepair[]> {
  const tenancies: Item[] = [];
  const sightings: Item[] = [];
  const items = scanTable({
    FilterExpression: '#type IN (:tenancy, :sighting)',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':tenancy': ENTITY.tenancy, ':sighting': ENTITY.plateSighting },
  });
  for await (const item of items) (item.type === ENTITY.tenancy ? tenancies : sightings).push(item);

  const names = await tenantNames([...new Set(tenancies.map((t) => String(t.userId)))]);
  const repairs: PlateIndexRepair[] = [];
  const keyOf = (item: Item) => ({ pk: String(item.pk), sk: String(item.sk) });
  const wrongKeys = (item: Item, wanted: Record<string, string>) => Object.entries(wanted).some(([name, value]) => item[name] !== value);
  for (const t of tenancies) {
    const indexKeys = plateIndexKeys.tenancy({ plate: String(t.plate), carparkId: String(t.carparkId), tenancyId: String(t.tenancyId) });
    const tenantName = names.get(String(t.userId));
    const reasons = [
      ...(wrongKeys(t, indexKeys) ? [t[PLATE_INDEX.partitionKey] === undefined ? 'not in the plate index' : 'under another plate in the index'] : []),
      ...(tenantName !== undefined && keptTenantName(t) !== tenantName ? ['keeps another tenant name'] : []),
    ];
    if (reasons.length > 0) repairs.push({ key: keyOf(t), what: 'tenancy', plate: String(t.plate), indexKeys, tenantName, keptName: keptTenantName(t), reasons });
  }
  for (const s of sightings) {
    const indexKeys = plateIndexKeys.sighting({ folded: String(s.folded), carparkId: String(s.carparkId), tenancyId: String(s.tenancyId) });
    if (wrongKeys(s, indexKeys)) repairs.push({ key: keyOf(s), what: 'sighting', plate: String(s.plate), indexKeys, reasons: ['not in the plate index'] });
  }
  return repairs;
}

/** The repairs written; returns how many were (a change meanwhile skips its item). */
export async function writePlateIndex(repairs: readonly PlateIndexRepair[]): Promise<number> {
  let written = 0;
  for (const repair of repairs) {
    const values: Record<string, unknown> = { ':plate': repair.plate };
    const names: Record<string, string> = { '#plate': 'plate' };
    const sets = Object.entries(repair.indexKeys).map(([name, value], i) => {
      names[`#k${i}`] = name;
      values[`:k${i}`] = value;
      return `#k${i} = :k${i}`;
    });
    let condition = 'attribute_exists(pk) AND #plate = :plate';
    if (repair.what === 'tenancy' && repair.tenantName !== undefined) {
      names['#tenantName'] = TENANT_NAME_ATTRIBUTE;
      values[':tenantName'] = repair.tenantName;
      sets.push('#tenantName = :tenantName');
      // Only over the name read: a rename meanwhile has copied its own.
      if (repair.keptName === undefined) condition += ' AND attribute_not_exists(#tenantName)';
      else {
        values[':kept'] = repair.keptName;
        condition += ' AND #tenantName = :kept';
      }
    }
    try {
      await db().send(
        new UpdateCommand({
          TableName: TableName(),
          Key: repair.key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      written += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return written;
}

/** The tenants' names, 100 to a batch read. */
async function tenantNames(userIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += BATCH_GET_MAX) {
    const users = await batchGetItems(userIds.slice(i, i + BATCH_GET_MAX).map((id) => keys.user(id)), ['userId', 'name']);
    for (const user of users) if (typeof user.name === 'string') names.set(String(user.userId), user.name);
  }
  return names;
}

async function main(args: string[]) {
  const repairs = await checkPlateIndex();
  if (args.includes('--write')) {
    const written = await writePlateIndex(repairs);
    console.log(`Wrote ${written} of ${repairs.length} item(s) to put right (the others changed meanwhile and wrote their own).`);
    return 0;
  }
  if (repairs.length === 0) {
    console.log('Every tenancy and plate sighting is in the plate index, and every tenancy keeps its tenant’s name.');
    return 0;
  }
  for (const repair of repairs) console.log(`${repair.what} ${repair.key.pk}: ${repair.reasons.join('; ')}`);
  console.log(`${repairs.length} item(s) to put right; \`npm run plate-index -- --write\` does.`);
  return 1;
}

runWhenMain(import.meta.url, main);
