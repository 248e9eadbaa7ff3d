import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
const tableNameBefore = process.env.TABLE_NAME;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin?.close());

describe('startTestTwin', () => {
  it('serves the real API against a table of its own', async () => {
    const health = await twin.request('GET', '/health');
    const { Table } = await twin.documentClient.send(new DescribeTableCommand({ TableName: twin.tableName }));

    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('points the handlers at the twin through the environment', () => {
    expect(process.env).toMatchObject({
      TABLE_NAME: twin.tableName,
      JWT_SECRET_ID: twin.jwtSecretId,
      STAGE: 'test',
      AWS_ENDPOINT_URL_SES: twin.standins.sesEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: twin.standins.secretsManagerEndpoint,
    });
  });

  it('answers 404 in API Gateway’s shape for an unknown route', async () => {
    const response = await twin.request('GET', '/no/such/route');

    expect(response.status).toBe(404);
    expect(response.json).toEqual({ message: 'Not Found' });
  });

  it('restores the environment it changed when closed', async () => {
    const separate = await startTestTwin();
    await separate.close();

    expect(process.env.TABLE_NAME).toBe(twin.tableName);
    expect(tableNameBefore).not.toBe(twin.tableName);
  });
});
