/**
 * The whole twin for the end-to-end tests: the portal built from the current source and served
 * beside the API (email links point at it), workflows with waits scaled as `npm start` scales
 * them (a paid month passes in about a minute, so a cancellation can be undone), demo data seeded.
 */
import path from 'node:path';
import { repoRoot } from '../../lib/paths';
import { buildWeb } from '../support/web-build';
import { startTestTwin, type TestTwin } from '../support/twin';

export const DEMO_PASSWORD = 'Demo-parking-2026';

/** This test process's own build of the portal (see `buildWeb`), under the ignored .local/. */
export const portalBuildDir = path.join(repoRoot, '.local', 'e2e-web', String(process.pid));

export async function startPortalTwin(): Promise<TestTwin> {
  await buildWeb(portalBuildDir);
  // As `npm start`: each customer on a Stripe test clock, so a renewal can be made to come due.
  const twin = await startTestTwin({ web: { staticDir: portalBuildDir }, waitScale: 1 / 43_200, customerTestClocks: true });
  const { seedDemoData } = await import('../../local/seed');
  await seedDemoData();
  return twin;
}
