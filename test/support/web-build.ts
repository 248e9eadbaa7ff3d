/**
 * The tenant portal's build (web/dist), for the tests that need it: `buildWeb()` builds it now
 * (the end-to-end tests, so they test the code as it is); the infra project's global setup only
 * builds it when missing (its tests read the file list, not the contents).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, webBuildDir } from '../../lib/paths';

/**
 * Builds the portal into `outDir` (web/dist unless given). Test files running at once each build
 * into their own directory: a build empties its directory first, which would otherwise pull
 * index.html from under a twin another file is serving.
 */
export async function buildWeb(outDir: string = webBuildDir): Promise<void> {
  // vitest sets NODE_ENV=test, which would give React's development build: build as npm does.
  const env = { ...process.env, NODE_ENV: 'production' };
  await promisify(execFile)('npm', ['run', 'build:web', '--silent', '--', '--outDir', outDir], {
    cwd: repoRoot,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export default async function setup(): Promise<void> {
  if (!existsSync(path.join(webBuildDir, 'index.html'))) await buildWeb();
}
