/**
 * The environment that points unchanged handler code at the twin: the variables the CDK stack
 * sets on every function, plus the SDK's `AWS_ENDPOINT_URL_<SERVICE>` overrides and dummy
 * credentials (DynamoDB Local and the stand-ins accept any signature).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV } from '../functions/environment';
import { CONCURRENCY_VARIABLE, installInvocationStore } from './gateway/invocation-scope';

export interface TwinEnvironmentSettings {
  readonly tableName: string;
  readonly jwtSecretId: string;
  readonly senderEmail: string;
  readonly webBaseUrl: string;
  /** Where admins' alert emails go (the deployed stack uses `alarmEmail`). */
  readonly adminAlertEmail?: string;
  readonly stage: string;
  readonly region: string;
  readonly dynamoEndpoint: string;
  readonly sesEndpoint: string;
  readonly secretsManagerEndpoint: string;
}

export function twinEnvironment(settings: TwinEnvironmentSettings): Record<string, string> {
  return {
    [ENV.tableName]: settings.tableName,
    [ENV.jwtSecretId]: settings.jwtSecretId,
    [ENV.senderEmail]: settings.senderEmail,
    [ENV.webBaseUrl]: settings.webBaseUrl,
    [ENV.adminAlertEmail]: settings.adminAlertEmail ?? 'alerts@carpark.local',
    [ENV.stage]: settings.stage,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: settings.dynamoEndpoint,
    AWS_ENDPOINT_URL_SES: settings.sesEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: settings.secretsManagerEndpoint,
    // Never wait on an instance-metadata lookup for credentials that are already in the environment.
    AWS_EC2_METADATA_DISABLED: 'true',
    // The twin runs on Node 20 on purpose; the SDK's deprecation notice would only clutter its output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Every function shares the twin's one process, several invocations in flight at once, as in a
    // Lambda environment serving concurrent requests: keep each invocation's log context apart.
    [CONCURRENCY_VARIABLE]: '64',
    // No CloudWatch reads the twin's stdout: business metrics (EMF lines) would only clutter it.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** Sets the variables (dropping a session token that would not match the dummy keys); returns an undo. */
export function applyEnvironment(variables: Record<string, string>): () => void {
  const touched = [...Object.keys(variables), 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
  const previous = new Map(touched.map((name) => [name, process.env[name]]));
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, variables);
  // Powertools insists on the invocation store once the concurrency variable is set.
  if (variables[CONCURRENCY_VARIABLE]) installInvocationStore();
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** The CORS origins the deployed API allows (`allowedOrigins` in cdk.json's context). */
export function configuredAllowedOrigins(rootDir: string): string[] {
  try {
    const cdk = JSON.parse(readFileSync(path.join(rootDir, 'cdk.json'), 'utf8')) as { context?: { allowedOrigins?: unknown } };
    const configured = cdk.context?.allowedOrigins;
    return Array.isArray(configured) ? configured.filter((origin): origin is string => typeof origin === 'string') : [];
  } catch {
    return [];
  }
}
