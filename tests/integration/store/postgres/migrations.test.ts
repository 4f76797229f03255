import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/store/migrations/index.ts';
import { openStorePort } from '../../../../src/store/open.ts';
import type { Migration } from '../../../../src/store/migrations/types.ts';
import { migratePostgres } from '../../../../src/store/postgres/migrate.ts';
import { createPool } from '../../../../src/store/postgres/pool.ts';
import { PostgresStore } from '../../../../src/store/postgres/store.ts';
import { backendUnavailable, emptyPostgresDatabase } from '../../../support/database.ts';

describe.skipIf(backendUnavailable('PostgreSQL migrations', 'postgres'))('PostgreSQL migrations', () => {
  let db: Awaited<ReturnType<typeof emptyPostgresDatabase>>;
  let pools: pg.Pool[];
  beforeEach(async () => {
    db = await emptyPostgresDatabase();
    pools = [];
  });
  afterEach(async () => {
    for (const p of pools) await p.end();
    await db.drop();
  });
  const pool = () => {
    const p = createPool(db.url, { max: 2 });
    pools.push(p);
    return p;
  };
  const applied = async () => (await pool().query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

  it('migrates once when several servers start at the same moment', async () => {
    const results = await Promise.all([migratePostgres(pool(), MIGRATIONS), migratePostgres(pool(), MIGRATIONS), migratePostgres(pool(), MIGRATIONS)]);
    const newest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(results).toEqual([newest, newest, newest]);
    expect(await applied()).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  });

  it('opens a postgresql:// URL as a migrated PostgreSQL store', async () => {
    const store = await openStorePort({ url: db.url.replace(/^postgres:/, 'postgresql:'), sqliteFile: '/nonexistent/never-used.sqlite' });
    expect(store.backend).toBe('postgres');
    await store.write((tx) => tx.settings.put('k', 1, 1));
    expect(await store.read((tx) => tx.settings.get('k'))).toBe(1);
    await store.close();
    expect(await applied()).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  });

  it('applies a lower-numbered step that arrived after a higher one', async () => {
    const low: Migration = { version: 900, name: 'low', postgres: 'CREATE TABLE low_range (x BIGINT)' };
    const high: Migration = { version: 950, name: 'high', postgres: 'CREATE TABLE high_range (x BIGINT)' };
    await migratePostgres(pool(), [...MIGRATIONS, high]);
    await migratePostgres(pool(), [...MIGRATIONS, low, high]);
    expect((await applied()).slice(-2)).toEqual([900, 950]);
  });

  it('leaves nothing of a step that fails, and names it', async () => {
    await migratePostgres(pool(), MIGRATIONS);
    const broken: Migration = { version: 999, name: 'broken', postgres: 'CREATE TABLE half (x BIGINT); SELECT no_such_function();' };
    await expect(migratePostgres(pool(), [...MIGRATIONS, broken])).rejects.toThrow(/migration 999 \(broken\) failed/);
    expect((await pool().query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
    expect(await applied()).not.toContain(999);
  });

  it('refuses a database written by a newer Earwitness, and a step without PostgreSQL DDL', async () => {
    await migratePostgres(pool(), MIGRATIONS);
    await pool().query("INSERT INTO schema_migrations (version, name, applied_us) VALUES (10000, 'future', 1)");
    await expect(PostgresStore.open(db.url)).rejects.toThrow(/written by a newer Earwitness \(schema 10000/);
    await expect(migratePostgres(pool(), [...MIGRATIONS, { version: 998, name: 'sqlite-only', sql: 'CREATE TABLE x (y INTEGER)' }])).rejects.toThrow(/998 \(sqlite-only\) has no PostgreSQL DDL/);
  });
});
