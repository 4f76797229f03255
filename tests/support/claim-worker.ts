/**
 * One reviewer in a process of its own on a shared data folder: signs in, then takes "next" and
 * decides it, N times, as fast as it can; prints the alert ids it received as JSON. Used to show
 * that claims hold across processes (two hosts, or the desktop app and a host, on one store).
 * Usage: tsx claim-worker.ts DATA_DIR NAME PASSWORD N [DATABASE_URL]  (a PostgreSQL URL: the centre's database, else the folder's SQLite file)
 */
import { openCore } from '../../src/core/core.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';

const [dataDir, name, password, n, databaseUrl] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const core = openCore({ dataDir, ...(databaseUrl ? { storePort: await PostgresStore.open(databaseUrl, { migrations: false, max: 4 }) } : {}) });
try {
  const seat = core.openSession('loopback');
  await core.call(seat, 'signIn', { name, password });
  const got: number[] = [];
  for (let i = 0; i < Number(n); i++) {
    const { claim } = await core.call(seat, 'claimNext', {});
    if (!claim) break;
    got.push(claim.alertId);
    await core.call(seat, 'decide', { alertId: claim.alertId, class: 'fireworks', reviewMs: 1 });
  }
  process.stdout.write(JSON.stringify(got));
} finally {
  await core.close();
}
