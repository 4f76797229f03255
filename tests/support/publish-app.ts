/**
 * The app as the crash test runs it, in its own process: the real core and background work
 * (so the real delivery worker), deciding every pending alert one by one through the contract.
 * `node --import tsx tests/support/publish-app.ts --data DIR [--database URL]` (a PostgreSQL URL:
 * the centre's database, else the folder's SQLite file). Prints "ready", then
 * "decided <id>" per decision, then "done" once nothing is left to send, and exits 0.
 */
import { parseArgs } from 'node:util';
import { openCore } from '../../src/core/core.ts';
import { startBackgroundWork } from '../../src/core/background.ts';
import { newSession } from '../../src/kernel/session.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, database: { type: 'string' }, 'pause-ms': { type: 'string' } } });
const storePort = values.database ? await PostgresStore.open(values.database, { migrations: false, max: 4 }) : undefined;
const core = openCore({ dataDir: values.data!, ...(storePort ? { storePort } : {}) });
startBackgroundWork(core, { demo: false });
const s = newSession('cli', { name: 'crash-test', roles: ['reviewer', 'admin'] });
const pauseMs = Number(values['pause-ms'] ?? 5);
// decide runs on the store port, which loads its query builder on first use (about a second cold):
// loaded before "ready", so the kills land among decisions rather than all before the first.
await core.storePort.read(async () => undefined);
process.stdout.write('ready\n');

for (;;) {
  const [next] = await core.storePort.read((tx) => tx.alerts.list('pending', 1));
  if (!next) break;
  await core.call(s, 'decide', { alertId: next.id, class: 'gunfire_multiple', rounds: 2, reviewMs: 1000 });
  process.stdout.write(`decided ${next.id}\n`);
  await new Promise((r) => setTimeout(r, Math.random() * pauseMs * 2));
}
const anyPending = async () => (await core.storePort.read((tx) => tx.deliveries.list({ state: 'pending', limit: 1 }))).length > 0;
while (await anyPending()) await new Promise((r) => setTimeout(r, 20));
process.stdout.write('done\n');
await core.close();
