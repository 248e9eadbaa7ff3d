/**
 * `npm run bench:console`: only the console-at-scale stage of `npm run bench` (console-scale.ts),
 * on its own DynamoDB Local, printing its figures (docs/performance.md is written by the whole bench).
 */
import { startDynamoDbLocal } from '../../local/dynamodb';
import { measureConsoleScale } from './console-scale';
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
} finally {
  killAllWorkers();
  await dynamo.stop();
}
process.exit(0);
