import net from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema';
import { ensureTable, JavaNotFoundError, startDynamoDbLocal } from '../../local/dynamodb';
import { findFreePort, PortInUseError } from '../../local/ports';

const clientFor = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const client = clientFor(inject('dynamoEndpoint'));
const created: string[] = [];

afterAll(async () => {
  for (const TableName of created) await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
  client.destroy();
});

function uniqueTableName(): string {
  const name = `ensure-table-${randomUUID().slice(0, 8)}`;
  created.push(name);
  return name;
}

describe('ensureTable', () => {
  it('creates the table from the schema: on-demand, string keys, GSIs projecting everything', async () => {
    const tableName = uniqueTableName();

    const result = await ensureTable(client, tableName, tableSchema);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));

    expect(result).toEqual({ created: true, addedIndexes: [] });
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.AttributeDefinitions?.every((definition) => definition.AttributeType === 'S')).toBe(true);
    expect(
      Table?.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    ).toEqual(
      tableSchema.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('enables TTL on the schema’s TTL attribute', async () => {
    const tableName = uniqueTableName();

    await ensureTable(client, tableName, tableSchema);
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: tableSchema.timeToLiveAttribute });
  });

  it('leaves an existing table as it is', async () => {
    const tableName = uniqueTableName();
    await ensureTable(client, tableName, tableSchema);
    const before = await client.send(new DescribeTableCommand({ TableName: tableName }));

    const result = await ensureTable(client, tableName, tableSchema);
    const after = await client.send(new DescribeTableCommand({ TableName: tableName }));

    expect(result).toEqual({ created: false, addedIndexes: [] });
    expect(after.Table?.CreationDateTime).toEqual(before.Table?.CreationDateTime);
  });

  it('adds the GSIs a table made from an older schema lacks, once, and they answer queries', async () => {
    const tableName = uniqueTableName();
    const [first, second] = tableSchema.globalSecondaryIndexes;
    await ensureTable(client, tableName, { ...tableSchema, globalSecondaryIndexes: [first] });

    const result = await ensureTable(client, tableName, { ...tableSchema, globalSecondaryIndexes: [first, second] });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const again = await ensureTable(client, tableName, { ...tableSchema, globalSecondaryIndexes: [first, second] });
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'ITEM#1' },
          sk: { S: 'ITEM#1' },
          [second.partitionKey]: { S: 'GROUP#a' },
          [second.sortKey]: { S: 'ITEM#1' },
        },
      }),
    );
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: second.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': second.partitionKey },
        ExpressionAttributeValues: { ':pk': { S: 'GROUP#a' } },
      }),
    );

    expect(result).toEqual({ created: false, addedIndexes: [second.indexName] });
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map(({ IndexName, IndexStatus }) => ({ IndexName, IndexStatus }))).toEqual(
      expect.arrayContaining([
        { IndexName: first.indexName, IndexStatus: 'ACTIVE' },
        { IndexName: second.indexName, IndexStatus: 'ACTIVE' },
      ]),
    );
    expect(Table?.GlobalSecondaryIndexes?.find(({ IndexName }) => IndexName === second.indexName)).toMatchObject({
      KeySchema: [
        { AttributeName: second.partitionKey, KeyType: 'HASH' },
        { AttributeName: second.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(again).toEqual({ created: false, addedIndexes: [] });
    expect(Items?.map((item) => item.pk?.S)).toEqual(['ITEM#1']);
  });
});

describe('startDynamoDbLocal', () => {
  it('starts DynamoDB Local, answers once ready, and stops its java process', async () => {
    const dynamo = await startDynamoDbLocal();
    const ownClient = clientFor(dynamo.endpoint);

    const tables = await ownClient.send(new ListTablesCommand({}));
    await dynamo.stop();

    expect(tables.TableNames).toEqual([]);
    expect(dynamo.pid).toBeDefined();
    expect(() => process.kill(dynamo.pid ?? 0, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    ownClient.destroy();
  });

  it('refuses a port that is already taken', async () => {
    const port = await findFreePort();
    const occupant = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => occupant.once('listening', resolve));
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toBeInstanceOf(PortInUseError);
    } finally {
      occupant.close();
    }
  });

  it('explains that Java is needed when java is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startDynamoDbLocal()).rejects.toBeInstanceOf(JavaNotFoundError);
    } finally {
      process.env.PATH = path;
    }
  });
});
