import type * as SecretsManager from '@aws-sdk/client-secrets-manager';

// Loaded on the first secret read, not at cold start: after it, secrets come from the cache.
let secretsManager: Promise<{ sdk: typeof SecretsManager; client: SecretsManager.SecretsManagerClient }> | undefined;
const loadSecretsManager = () =>
  (secretsManager ??= import('@aws-sdk/client-secrets-manager').then((sdk) => ({ sdk, client: new sdk.SecretsManagerClient({}) })));
const cache = new Map<string, Promise<string>>();

/**
 * A secret's string value, fetched once per container. Rotation takes effect as containers
 * recycle; a failed fetch is not cached, so the next request tries again.
 */
export function getSecretString(secretId: string): Promise<string> {
  let value = cache.get(secretId);
  if (!value) {
    value = loadSecretsManager()
      .then(({ sdk, client }) => client.send(new sdk.GetSecretValueCommand({ SecretId: secretId })))
      .then((out) => {
        if (!out.SecretString) throw new Error(`Secret ${secretId} has no string value`);
        return out.SecretString;
      });
    value.catch(() => cache.delete(secretId));
    cache.set(secretId, value);
  }
  return value;
}
