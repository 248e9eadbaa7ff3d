/**
 * Secrets Manager's GetSecretValue over the awsJson1_1 protocol (`X-Amz-Target:
 * secretsmanager.GetSecretValue`), serving secrets from memory by name or ARN.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface JsonResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SecretsControls {
  /** Adds or replaces a secret; a new version id each time, as a rotation would give. */
  set(name: string, value: string): void;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly value: string;
  readonly versionId: string;
  readonly createdDate: number;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function createSecretsManagerStandin(
  initial: Record<string, string>,
  { region, accountId }: { region: string; accountId: string },
): SecretsControls & { handle(target: string, body: string): JsonResponse } {
  const secrets = new Map<string, StoredSecret>();

  function set(name: string, value: string): void {
    // Real ARNs end in six random characters; derive them from the name so they stay stable.
    const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    secrets.set(name, {
      name,
      arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`,
      value,
      versionId: randomUUID(),
      createdDate: Math.floor(Date.now() / 1000),
    });
  }
  for (const [name, value] of Object.entries(initial)) set(name, value);

  return {
    set,
    handle(target, body) {
      const operation = target.replace(/^secretsmanager\./, '');
      if (operation !== 'GetSecretValue') {
        return error(400, 'UnknownOperationException', `${operation} is not supported by the local Secrets Manager stand-in.`);
      }
      let secretId: unknown;
      try {
        secretId = (JSON.parse(body) as { SecretId?: unknown }).SecretId;
      } catch {
        return error(400, 'SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof secretId !== 'string' || secretId === '') {
        return error(400, 'InvalidParameterException', 'You must provide a SecretId.');
      }
      const secret = secrets.get(secretId) ?? [...secrets.values()].find((stored) => stored.arn === secretId);
      if (!secret) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        statusCode: 200,
        headers: { 'content-type': CONTENT_TYPE },
        body: JSON.stringify({
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          SecretString: secret.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdDate,
        }),
      };
    },
  };
}

function error(statusCode: number, type: string, message: string): JsonResponse {
  return {
    statusCode,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, Message: message }),
  };
}
