import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { getDocumentClient, getTableName } from '../../adapters/dynamodb/client';
import { json } from '../../http/responses';
import { httpRoute } from '../../http/route';

/** Healthy when the table answers DescribeTable (no item is read). */
export const handler = httpRoute('Health', async () => {
  try {
    await getDocumentClient().send(new DescribeTableCommand({ TableName: getTableName() }));
    return { status: 'ok', checks: { table: 'reachable' } };
  } catch {
    return json(503, { status: 'degraded', checks: { table: 'unreachable' } });
  }
});
