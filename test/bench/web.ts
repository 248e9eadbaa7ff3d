/**
 * The tenant portal: JavaScript per route chunk (gzipped, from the Vite build's manifest) and
 * the first load's total, and the time from navigation to the car park list rendered in
 * Chromium on the twin, as a ratio to the static home page the portal replaced (the same list
 * fetched by one inline script, test/bench/fixtures/static-home.html), measured in the same run,
 * interleaved, each visit in a fresh browser context (cold cache).
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { webBuildDir } from '../../lib/paths';
import { median } from './stats';

export interface WebChunk {
  /** `(first load)` or the route's module, e.g. `features/billing/routes/billing.tsx`. */
  readonly route: string;
  /** Gzipped bytes of the JavaScript this route loads beyond the first load. */
  readonly gzipBytes: number;
  readonly files: readonly string[];
}

export interface WebResult {
  readonly firstLoadGzipBytes: number;
  readonly routes: readonly WebChunk[];
  readonly rounds: number;
  /** Milliseconds from navigation start to the list on screen, per visit. */
  readonly portalMs: readonly number[];
  readonly staticMs: readonly number[];
}

interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}

/** Sizes from the build already in web/dist (`npm run build:web`). */
export async function measureWebChunks(buildDir = webBuildDir): Promise<Pick<WebResult, 'firstLoadGzipBytes' | 'routes'>> {
  const manifest = JSON.parse(await readFile(path.join(buildDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gzipOf = async (file: string) => gzipSync(await readFile(path.join(buildDir, file)), { level: 9 }).length;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) closure(imported, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entryKey) throw new Error('The web build has no entry chunk');
  const firstLoad = closure(entryKey);
  const firstLoadFiles = [...firstLoad].map((key) => manifest[key]!.file);
  let firstLoadGzipBytes = 0;
  for (const file of firstLoadFiles) firstLoadGzipBytes += await gzipOf(file);

  const routes: WebChunk[] = [{ route: '(first load)', gzipBytes: firstLoadGzipBytes, files: firstLoadFiles }];
  for (const [key, chunk] of Object.entries(manifest).filter(([, c]) => c.isDynamicEntry)) {
    const extra = [...closure(key)].filter((k) => !firstLoad.has(k)).map((k) => manifest[k]!.file);
    let gzipBytes = 0;
    for (const file of extra) gzipBytes += await gzipOf(file);
    routes.push({ route: (chunk.src ?? key).replace(/^src\//, ''), gzipBytes, files: extra });
  }
  return { firstLoadGzipBytes, routes };
}

/** A copy of the build with the static page beside it, for the twin to serve from one origin. */
export async function siteWithStaticHome(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'carpark-bench-web-'));
  await cp(webBuildDir, dir, { recursive: true });
  await cp(path.join(import.meta.dirname, 'fixtures', 'static-home.html'), path.join(dir, 'static-home.html'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Alternates static page and portal, `rounds` times each (after one unmeasured visit of each). */
export async function measureListRender(siteUrl: string, rounds: number, log: (line: string) => void): Promise<Pick<WebResult, 'rounds' | 'portalMs' | 'staticMs'>> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, headless: true });
  const visit = async (pathname: string, ready: string): Promise<number> => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${siteUrl}${pathname}`, { waitUntil: 'commit' });
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      // Time origin is the navigation's start.
      return (await page.evaluate('performance.now()')) as number;
    } finally {
      await context.close();
    }
  };
  const pages = { static: ['/static-home.html', '#carparks article'], portal: ['/', '[data-testid=carpark-list] article'] } as const;
  try {
    await visit(...pages.static);
    await visit(...pages.portal);
    const staticMs: number[] = [];
    const portalMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // ABBA order, so drift in the machine's load falls on both sides alike.
      if (round % 2 === 0) {
        staticMs.push(await visit(...pages.static));
        portalMs.push(await visit(...pages.portal));
      } else {
        portalMs.push(await visit(...pages.portal));
        staticMs.push(await visit(...pages.static));
      }
    }
    log(`car park list: portal median ${median(portalMs).toFixed(0)} ms, static page ${median(staticMs).toFixed(0)} ms (${rounds} visits each)`);
    return { rounds, portalMs, staticMs };
  } finally {
    await browser.close();
  }
}
