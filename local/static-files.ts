/** Serves the web site's files for GET requests no API route claims. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Resolves `/` to `index.html`, `/reset-password` to `reset-password.html` and a directory to
 * its `index.html`. Paths escaping the root resolve to nothing.
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '/');
  } catch {
    return undefined;
  }
  const root = path.resolve(rootDir);
  const target = path.resolve(root, `.${decoded}`);
  if (target !== root && !target.startsWith(root + path.sep)) return undefined;

  const candidates = [target, path.join(target, 'index.html'), `${target}.html`];
  for (const candidate of candidates) {
    const stats = await stat(candidate).catch(() => undefined);
    if (!stats?.isFile()) continue;
    const contentType = CONTENT_TYPES[path.extname(candidate).toLowerCase()] ?? 'application/octet-stream';
    return { contentType, body: await readFile(candidate) };
  }
  return undefined;
}
