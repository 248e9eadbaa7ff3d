import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The Stripe stand-in's suite on its own, without the integration project's DynamoDB Local
 * (which these tests do not use): `npx vitest run -c test/local/stripe/vitest.config.ts`.
 * The same files also run in the repository's `integration` project.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../../', import.meta.url)),
  test: {
    name: 'stripe-standin',
    include: ['test/local/stripe/**/*.test.ts'],
    globals: false,
    maxWorkers: 2,
    // Each file starts and closes its own stand-in and no module keeps global state, so files can
    // share workers and the SDK is loaded once per worker.
    pool: 'threads',
    isolate: false,
    testTimeout: 30_000,
    // As in the integration project: two files compile the SDK's declared types in their setup
    // (sdk-types.ts), several seconds each on a busy machine.
    hookTimeout: 60_000,
  },
});
