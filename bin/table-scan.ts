/** A whole-table read for the commands in bin/ (an operator's tool, never a request path). */
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, TableName } from '../functions/adapters/dynamodb/table';

/** Every item a Scan returns (only those `input`'s filter keeps), page after page to the end. */
export async function* scanTable(input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'> = {}): AsyncGenerator<Record<string, unknown>> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new ScanCommand({ TableName: TableName(), ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    yield* page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}
