import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordsCollector } from '../../../../src/audit/records-check.ts';
import { auditEntryDigest, GENESIS_HASH, type AttestedTableName } from '../../../../src/kernel/store-port.ts';
import { ATTESTED_TABLE_NAMES } from '../../../../src/store/attested.ts';
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
    await expect(migratePostgres(pool(), [...MIGRATIONS, { version: 998, name: 'sqlite-only', sql: 'CREATE TABLE x (y INTEGER)' }])).rejects.toThrow(
      /998 \(sqlite-only\) has no PostgreSQL DDL/,
    );
  });

  it('attests the rows a database held before attested rows (step 53) once, in a record.baseline entry that continues the chain', async () => {
    await migratePostgres(
      pool(),
      MIGRATIONS.filter((m) => m.version < 53),
    );
    const p = pool();
    await p.query(
      "INSERT INTO accounts (name, display_name, password_hash, roles_json, created_us, created_by, password_set_us) VALUES ('ann', 'Ann', 'h', '[\"admin\"]', 1, 'x', 1)",
    );
    await p.query("INSERT INTO settings (key, value_json, updated_us) VALUES ('seat', '{}', 1)");
    const first = auditEntryDigest(GENESIS_HASH, { seq: 1, atUs: 5, actor: 'ann', action: 'x.y', entity: 'e', payloadJson: '{}' });
    await p.query("INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (1, 5, 'ann', 'x.y', 'e', '{}', $1, $2)", [
      GENESIS_HASH,
      first,
    ]);
    await migratePostgres(pool(), MIGRATIONS);
    const store = await PostgresStore.open(db.url, { migrations: false });
    try {
      const { rows, problems } = await store.read(async (tx) => {
        const rows = await tx.audit.page(0, 10);
        const records = new RecordsCollector();
        rows.forEach(records.visit);
        const attested = new Map<AttestedTableName, { key: string; digest: string }[]>();
        for (const table of ATTESTED_TABLE_NAMES) attested.set(table, await tx.auditReads.attestedRows(table));
        return { rows, problems: records.attestedProblems((table) => attested.get(table)!) };
      });
      expect(rows.map((r) => [r.seq, r.action, r.prev_hash])).toEqual([
        [1, 'x.y', GENESIS_HASH],
        [2, 'record.baseline', first],
      ]);
      expect((JSON.parse(rows[1]!.payload_json) as { attested: { table: string; key: string }[] }).attested.map((a) => `${a.table}:${a.key}`)).toEqual([
        'accounts:1',
        'settings:seat',
      ]);
      expect(rows[1]!.hash).toBe(
        auditEntryDigest(first, {
          seq: 2,
          atUs: rows[1]!.at_us,
          actor: 'earwitness',
          action: 'record.baseline',
          entity: 'records',
          payloadJson: rows[1]!.payload_json,
        }),
      );
      expect(problems).toEqual([]);
    } finally {
      await store.close();
    }
    // A database migrated from empty gets no baseline entry.
    const fresh = await emptyPostgresDatabase();
    try {
      const q = createPool(fresh.url, { max: 1 });
      await migratePostgres(q, MIGRATIONS);
      expect((await q.query('SELECT count(*)::int AS n FROM audit_log')).rows).toEqual([{ n: 0 }]);
      await q.end();
    } finally {
      await fresh.drop();
    }
  });
});
