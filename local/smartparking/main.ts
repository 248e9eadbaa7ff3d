/**
 * Runs the SmartParking simulator on its own:
 *
 *   npx tsx local/smartparking/main.ts --port 4010 --api-key local-smartparking-key \
 *     --sites SP-LEEDS-001,SP-LEEDS-002 --data .local/smartparking.json
 *
 * Without --sites every site id is accepted. Ctrl+C stops it.
 */
import { parseArgs } from 'node:util';
import { startSmartParkingSimulator } from './simulator';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string', default: 'local-smartparking-key' },
    sites: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}
const sites = values.sites?.split(',').map((s) => s.trim()).filter((s) => s !== '');

const simulator = await startSmartParkingSimulator({
  port,
  host: values.host,
  apiKey: values['api-key'],
  ...(sites && sites.length > 0 ? { sites } : { autoCreateSites: true }),
  ...(values.data !== undefined && { dataFile: values.data }),
  ...(values.seed !== undefined && { seed: Number(values.seed) }),
  log: (line) => console.log(line),
});

console.log(`SmartParking simulator on ${simulator.url} (whitelists at ${simulator.url}/, faults at ${simulator.url}/_control/faults)`);

const stop = () => {
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
