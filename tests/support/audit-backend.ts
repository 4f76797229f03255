/**
 * The populated audit store (audit-fixtures.ts) on the backend the vitest project runs: on SQLite
 * the data folder's own file; on PostgreSQL the same rows copied into a fresh database
 * (copy-to-postgres.ts), with a core whose port is on it and the same clip files.
 */
import { openCore, type Core } from '../../src/core/core.ts';
import { dataPaths } from '../../src/kernel/paths.ts';
import type { Store as StorePort, StoreBackend } from '../../src/kernel/store-port.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { populatedCore } from './audit-fixtures.ts';
import { copySqliteToPostgres } from './copy-to-postgres.ts';
import { openTestDatabase, testBackend } from './database.ts';
import { sqliteProbe, type StoreProbe } from './store-probe.ts';

export interface PopulatedBackend {
  readonly backend: StoreBackend;
  /** A core whose store port holds the populated rows. */
  readonly core: Core;
  readonly probe: StoreProbe;
  /** Another store on the same database, as a second process would open it (closed with the rest). */
  another(): Promise<StorePort>;
  close(): Promise<void>;
}

export async function populatedBackend(root: string, alerts: number): Promise<PopulatedBackend> {
  const { core, clock } = await populatedCore(root, alerts);
  const file = dataPaths(core.config.dataDir).database;
  if (testBackend() === 'sqlite') {
    const probe = sqliteProbe(file);
    const others: StorePort[] = [];
    return {
      backend: 'sqlite',
      core,
      probe,
      async another() {
        const s = SqliteStore.open(file);
        others.push(s);
        return s;
      },
      async close() {
        for (const s of others) await s.close();
        await probe.close();
        await core.close();
      },
    };
  }
  const dataDir = core.config.dataDir;
  await core.close();
  const db = await openTestDatabase('postgres');
  await copySqliteToPostgres(file, db.probe);
  const pgCore = openCore({ dataDir, clock, storePort: await PostgresStore.open(db.url, { migrations: false, max: 4 }) });
  return {
    backend: 'postgres',
    core: pgCore,
    probe: db.probe,
    another: () => db.another(),
    async close() {
      await pgCore.close();
      await db.close();
    },
  };
}
