import type { Store } from '../kernel/store-port.ts';
import { PostgresStore, type PostgresStoreOptions } from './postgres/store.ts';
import { SqliteStore } from './sqlite/store.ts';
import { isPostgresUrl } from './database-url.ts';

export { isPostgresUrl };

/**
 * The store a command runs on: the PostgreSQL database a `postgres://` or `postgresql://` URL
 * names (migrated, under the migration lock), or, with no URL, the SQLite file in the data
 * folder as always. For `--database` and EARWITNESS_DATABASE (src/cli/database.ts).
 */
export async function openStorePort(o: { url?: string | undefined; sqliteFile: string; postgres?: PostgresStoreOptions }): Promise<Store> {
  if (!o.url) return SqliteStore.open(o.sqliteFile);
  if (!isPostgresUrl(o.url))
    throw new Error(
      `--database takes a postgres:// or postgresql:// URL, not ${JSON.stringify(o.url.slice(0, 40))} (leave it out for the SQLite file in the data folder)`,
    );
  return PostgresStore.open(o.url, o.postgres);
}
