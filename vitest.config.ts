import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure, fast), `integration` (the offline twin over one DynamoDB Local
 * started by the global setup; also end-to-end and the twin's own tests) and `infra` (CDK
 * synthesis and assertions, slow). Two workers suit the 2-core machines this runs on.
 */
export default defineConfig({
  test: {
    globals: false,
    maxWorkers: 2,
    // The project runs on Node 20 by choice; the SDK's notice about Node 22 is noise in test output.
    // Password hashes at a quarter of production's scrypt cost keep the suite's time on 2 cores;
    // test/unit/password-cost.test.ts proves the production parameters and the rehash.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR', PASSWORD_HASH_LOG2_N: '15' },
    projects: [
      {
        extends: true,
        // Password hashing and property tests are CPU-bound: allow for a busy 2-core machine.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 15_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/local/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The site stack deploys the built portal: build it when it is missing.
          globalSetup: ['test/support/web-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
