/**
 * `npm run events`: writes the sample events the manifests call for that `events/` lacks
 * (`npm run events -- --all` rewrites every one), then reports any a handler would refuse.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleCatalogue } from './catalogue';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS_DIR = path.join(ROOT, 'events');
const rewriteAll = process.argv.includes('--all');

let written = 0;
const refused: string[] = [];
for (const sample of sampleCatalogue(ROOT)) {
  const file = path.join(EVENTS_DIR, sample.file);
  if (!rewriteAll && existsSync(file)) continue;
  const event = sample.build();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(event, null, 2)}\n`);
  written += 1;
  console.log(`  wrote events/${sample.file}`);
  const problems = sample.check(event);
  if (problems.length > 0) refused.push(`events/${sample.file}:\n    ${problems.join('\n    ')}`);
}
console.log(written === 0 ? 'Every sample event is there.' : `${written} sample event(s) written.`);
if (refused.length > 0) {
  console.error(
    `\nThese were written, but their handlers would refuse them: edit the files (or give the schema an ` +
      `example with .meta({ example })):\n  ${refused.join('\n  ')}`,
  );
  process.exitCode = 1;
}
