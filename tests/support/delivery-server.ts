/**
 * One centre server's background work in a process of its own, for the test of delivery across
 * servers (tests/integration/store/postgres/shared-delivery.test.ts): a core on the PostgreSQL
 * database in argv running `startBackgroundWork` as `serve` does (no demo, no inbox), its delivery
 * worker paced by the JSON in argv. Prints `ready` once it hears other servers' events and
 * `leading OWNER` when it starts the delivery worker (it leads 'delivery-worker'); then waits to
 * be killed.
 *
 *   node --import tsx tests/support/delivery-server.ts URL DATA_DIR CONFIG_JSON
 */
import { openCore } from '../../src/core/core.ts';
import { startBackgroundWork } from '../../src/core/background.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';

const [url, dataDir, configJson] = process.argv.slice(2);
if (!url || !dataDir) throw new Error('usage: delivery-server.ts URL DATA_DIR [CONFIG_JSON]');
const port = await PostgresStore.open(url, { migrations: false, max: 4 });
const core = openCore({ dataDir, storePort: port });
await port.listening();
const work = startBackgroundWork(core, { demo: false, inbox: false, deliveryOptions: { config: JSON.parse(configJson ?? '{}') as object } });
process.stdout.write('ready\n');
const watch = setInterval(() => {
  if (!work.delivery) return;
  process.stdout.write(`leading ${work.delivery.owner}\n`);
  clearInterval(watch);
}, 20);
setInterval(() => undefined, 60_000);
