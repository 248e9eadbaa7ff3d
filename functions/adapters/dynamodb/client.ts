import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../../environment';

/**
 * One client per container, made on first use so that configuration (table name, endpoint) is
 * read when the first request arrives rather than at import.
 */
let documentClient: DynamoDBDocumentClient | undefined;

export function getDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const client = new DynamoDBClient({});
    // No SDK logger is configured, yet its middleware copies every request and response, secrets
    // redacted, for the no-op logger it has: CPU on every call, the more the bigger the answer.
    client.middlewareStack.remove('loggerMiddleware');
    documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }
  return documentClient;
}

export const getTableName = (): string => requireEnv(ENV.tableName);
