/**
 * A core whose store port is on the backend the vitest project runs (EARWITNESS_TEST_BACKEND):
 * with SQLite the port over the data folder's own file, as the desktop runs; with PostgreSQL a
 * fresh database copied from the run's template, as a centre runs. Services still on the
 * synchronous store keep the data folder's SQLite file either way, so only tests of services on
 * the port (the queue, the trainers' data sets) use this. The probe reads under the port.
 */
import { openCore, type Core, type CoreOptions } from '../../src/core/core.ts';
import { dataPaths } from '../../src/kernel/paths.ts';
import type { StoreBackend } from '../../src/kernel/store-port.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { openTestDatabase, testBackend } from './database.ts';
import { sqliteProbe, type StoreProbe } from './store-probe.ts';
import { clipFiles, probeTableCounts } from './store-snapshot.ts';

export interface BackendCore {
  readonly backend: StoreBackend;
  readonly core: Core;
  readonly probe: StoreProbe;
  /** Closes the core alone (a test of what closing does); `close` then finishes the rest. */
  closeCore(): Promise<void>;
  /** Another core on the same database, as a second server or the CLI would open it (closed with the rest). */
  secondCore(dataDir: string, options?: Omit<CoreOptions, 'dataDir' | 'storePort'>): Promise<Core>;
  close(): Promise<void>;
}

export async function openBackendCore(dataDir: string, options: Omit<CoreOptions, 'dataDir' | 'storePort'> = {}): Promise<BackendCore> {
  if (testBackend() === 'sqlite') {
    const core = openCore({ ...options, dataDir });
    const probe = sqliteProbe(dataPaths(dataDir).database);
    const closeCore = once(() => core.close());
    const others: Core[] = [];
    return {
      backend: 'sqlite',
      core,
      probe,
      closeCore,
      // The same data folder: its one SQLite file (a second core's own folder would hold another database).
      secondCore: async (_dataDir, more = options) => {
        const other = openCore({ ...more, dataDir });
        others.push(other);
        return other;
      },
      async close() {
        for (const other of others.splice(0)) await other.close();
        await probe.close();
        await closeCore();
      },
    };
  }
  const db = await openTestDatabase('postgres');
  // The core owns and closes its own store; the test database's is closed, and the database dropped, after it.
  const core = openCore({ ...options, dataDir, storePort: await PostgresStore.open(db.url, { migrations: false, max: 10 }) });
  const closeCore = once(() => core.close());
  const others: Core[] = [];
  return {
    backend: 'postgres',
    core,
    probe: db.probe,
    closeCore,
    async secondCore(otherDir, more = options) {
      const port = await PostgresStore.open(db.url, { migrations: false, max: 10 });
      await port.listening();
      const other = openCore({ ...more, dataDir: otherDir, storePort: port });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others.splice(0)) await other.close();
      await closeCore();
      await db.close();
    },
  };
}

/** A core closes its port once: a PostgreSQL pool refuses a second end. */
function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= run());
}

/** Row counts of every table of the port's database: what a refused call must leave as it was. */
export const portTableCounts = probeTableCounts;

/** The audit entries of one action, oldest first, as the log holds them. */
export const auditRows = (probe: StoreProbe, action: string): Promise<{ entity: string; payload_json: string }[]> =>
  probe.query<{ entity: string; payload_json: string }>('SELECT entity, payload_json FROM audit_log WHERE action = ? ORDER BY seq', action);

/** What a refused or cancelled import must leave as it was: the port's table counts and the clip store's files. */
export async function portSnapshot(backend: BackendCore): Promise<{ tables: Record<string, number>; clips: string[] }> {
  return { tables: await portTableCounts(backend.probe), clips: clipFiles(backend.core) };
}
