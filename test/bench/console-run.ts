/**
 * `npm run bench:console`: only the console-at-scale stage of `npm run bench` (console-scale.ts),
 * on its own DynamoDB Local, printing its figures and rewriting what they are in
 * docs/performance.md: §8 and the three console rows of the Targets table (the rest of the file
 * is the whole bench's, and stays as its last run left it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { startDynamoDbLocal } from '../../local/dynamodb';
import { BENCH } from './config';
import { measureConsoleScale, type ConsoleScaleResult } from './console-scale';
import { consoleSection, consoleVerdicts, verdictRow } from './report';
import { killAllWorkers } from './workers/ipc';

const dynamo = await startDynamoDbLocal();
try {
  const result = await measureConsoleScale(dynamo.endpoint, (line) => console.log(`    ${line}`));
  const ratio = (ms: number) => (ms / result.p50.carparks).toFixed(2);
  console.log(
    [
      `Console at scale: ${result.tenancies} tenancies, ${result.invoiceEvents} invoice events, ${result.tenants} tenants, ${result.carparks} car parks`,
      `  GET /carparks p50 ${result.p50.carparks.toFixed(1)} ms`,
      `  dashboard     p50 ${result.p50.dashboard.toFixed(1)} ms (${ratio(result.p50.dashboard)}×)`,
      `  search        p50 ${result.p50.search.toFixed(1)} ms (${ratio(result.p50.search)}×)`,
      `  timeline      p50 ${result.p50.timeline.toFixed(1)} ms (${ratio(result.p50.timeline)}×)`,
      `  dashboard read units ${result.dashboardReadUnits}`,
      `  counters rebuilt in ${result.rebuildSeconds.toFixed(1)} s, checked in ${result.checkSeconds.toFixed(1)} s: ${result.countersEqualRecount ? 'equal to a full recount' : 'DIFFERENT'}`,
    ].join('\n'),
  );
  await rewriteReport(result);
  console.log(`Rewrote §8 and the console targets of ${BENCH.reportFile}.`);
} finally {
  killAllWorkers();
  await dynamo.stop();
}
process.exit(0);

/** §8 and the Targets rows of the console, in place; the file must already have them. */
async function rewriteReport(result: ConsoleScaleResult): Promise<void> {
  const text = await readFile(BENCH.reportFile, 'utf8');
  const start = text.indexOf('## 8. The operator console at scale');
  const end = text.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error(`${BENCH.reportFile} has no §8 to rewrite: run \`npm run bench\``);
  const ran = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const [heading, ...body] = consoleSection({ console: result });
  const section = [heading, '', `_This section and its rows of the Targets table: \`npm run bench:console\`, ${ran} UTC._`, ...body].join('\n');
  let rewritten = `${text.slice(0, start)}${section}\n${text.slice(end + 1)}`;
  for (const verdict of consoleVerdicts({ console: result })) {
    const prefix = `| ${verdict.name.replace(/ \(.*$/, '')} `;
    const line = rewritten.split('\n').find((l) => l.startsWith(prefix));
    if (!line) throw new Error(`${BENCH.reportFile} has no Targets row for ${verdict.name}`);
    rewritten = rewritten.replace(line, verdictRow(verdict));
  }
  await writeFile(BENCH.reportFile, rewritten);
}
