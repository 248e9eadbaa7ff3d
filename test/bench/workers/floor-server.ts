/**
 * Worker: the bare floor. A raw node:http server making the same single DynamoDB call as each
 * measured route — the listing Query of carparkRepository.list, or one GetItem for login — with
 * the same SDK client setup, and answering JSON. Everything the twin adds on top (API Gateway
 * emulation, the Lambda event, middy, validation, the use case) is what the ratio shows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX, keys } from '../../../functions/adapters/dynamodb/keys';
import { requests } from '../../../functions/api/schemas';
import { normaliseEmail } from '../../../functions/domain/users';
import { listen } from '../../../local/ports';
import { runWorker } from './ipc';

export interface FloorServerInput {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly region: string;
}

export interface FloorServerReady {
  readonly url: string;
}

runWorker<FloorServerInput, FloorServerReady>(async ({ dynamoEndpoint, tableName, region }) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  // The page size GET /carparks uses when the query string gives none.
  const { limit } = requests.ListCarparksQuery.parse({});

  async function answer(request: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/carparks') {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX.allCarparks.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': INDEX.allCarparks.partitionKey },
          ExpressionAttributeValues: { ':pk': INDEX.allCarparks.partitionValue() },
          Limit: limit,
        }),
      );
      return { status: 200, body: { items: page.Items ?? [] } };
    }
    if (request.method === 'POST' && path === '/auth/login') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const { email } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { email: string };
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.emailClaim(normaliseEmail(email)) }));
      return { status: 200, body: { userId: Item?.userId ?? null } };
    }
    return { status: 404, body: { error: 'not found' } };
  }

  const server = http.createServer((request, response) => {
    answer(request)
      .then(({ status, body }) => {
        const text = JSON.stringify(body);
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });
  await listen(server, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    data: { url: `http://127.0.0.1:${port}` },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.destroy();
    },
  };
});
