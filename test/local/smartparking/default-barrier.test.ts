/**
 * The production barrier wired from the environment: base URL from SMARTPARKING_BASE_URL, key
 * from Secrets Manager (the local stand-in), built on first use.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smartParkingBarrier } from '../../../functions/adapters/smartparking/client';
import { ENV } from '../../../functions/environment';
import { startAwsStandins } from '../../../local/aws-standins';
import { applyEnvironment } from '../../../local/twin-environment';
import { API_KEY, SITE, registration, startSimulator } from './helpers';

const undo: Array<() => unknown> = [];
afterAll(async () => {
  for (const step of undo.reverse()) await step();
});

describe('the default SmartParking barrier', () => {
  it('needs no environment until it is first used, then says which variable is missing', async () => {
    const saved = process.env[ENV.smartParkingBaseUrl];
    delete process.env[ENV.smartParkingBaseUrl];
    try {
      await expect(smartParkingBarrier.list(SITE)).rejects.toThrow(ENV.smartParkingBaseUrl);
    } finally {
      if (saved !== undefined) process.env[ENV.smartParkingBaseUrl] = saved;
    }
  });

  it('calls SMARTPARKING_BASE_URL with the key held in Secrets Manager', async () => {
    const simulator = await startSimulator();
    undo.push(() => simulator.close());
    const standins = await startAwsStandins({
      port: 0,
      outboxDir: mkdtempSync(path.join(tmpdir(), 'outbox-')),
      secrets: { 'smartparking/api-key': API_KEY },
    });
    undo.push(() => standins.close());
    undo.push(
      applyEnvironment({
        [ENV.smartParkingBaseUrl]: simulator.url,
        [ENV.smartParkingApiKeyId]: 'smartparking/api-key',
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standins.secretsManagerEndpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
    );

    await smartParkingBarrier.register(registration());

    expect(simulator.whitelist(SITE).map((r) => r.plate)).toEqual(['AB12CDE']);
    expect(await smartParkingBarrier.list(SITE)).toEqual(simulator.whitelist(SITE));
  });
});
