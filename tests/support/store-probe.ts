/**
 * Reaches under the store port for the tests that must (tamper tests, dialect checks): raw SQL on
 * a connection of its own, per backend. `?` placeholders on both (turned into $1.. for PostgreSQL).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreBackend } from '../../src/kernel/store-port.ts';
import { parseInt8 } from '../../src/store/postgres/pool.ts';

export interface StoreProbe {
  readonly backend: StoreBackend;
  query<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]>;
  /** Runs a statement; returns the rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** Takes off the audit log's append-only guards, as someone editing the database behind Earwitness would. */
  dropAuditGuards(): Promise<void>;
  /**
   * Runs `fn` (statements through this probe) as a DBA editing the database behind Earwitness,
   * and commits it: every guard trigger and foreign key skipped for this connection alone, the
   * guards still in place for everyone else afterwards. PostgreSQL: `SET LOCAL
   * session_replication_role = replica` (a superuser's switch that disables triggers, the
   * foreign keys' among them); SQLite: the triggers dropped and created again inside the same
   * transaction, foreign keys off.
   */
  behindTheLog(fn: () => Promise<void>): Promise<void>;
  /** Copies the tables as they are now; the function returned puts them back (behind the log), so tamper trials start from the same rows. */
  keepTables(tables: readonly string[]): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** keepTables for both backends: temporary copies on the probe's own session. */
async function keepTables(probe: StoreProbe, tables: readonly string[]): Promise<() => Promise<void>> {
  const kept = (t: string) => quoted(`kept_${t}`);
  for (const t of tables) {
    await probe.run(`DROP TABLE IF EXISTS ${kept(t)}`);
    await probe.run(`CREATE TEMP TABLE ${kept(t)} AS SELECT * FROM ${quoted(t)}`);
  }
  return () =>
    probe.behindTheLog(async () => {
      for (const t of tables) {
        if (probe.backend === 'sqlite') {
          await probe.run(`DELETE FROM ${quoted(t)}`);
          await probe.run(`INSERT INTO ${quoted(t)} SELECT * FROM ${kept(t)}`);
        } else {
          // Only the rows that differ (each row compared whole, as text): rewriting every row at
          // each of a thousand trials leaves PostgreSQL a thousand dead copies to step over.
          await probe.run(`DELETE FROM ${quoted(t)} AS r WHERE r::text NOT IN (SELECT k::text FROM ${kept(t)} AS k)`);
          await probe.run(`INSERT INTO ${quoted(t)} SELECT * FROM ${kept(t)} AS k WHERE k::text NOT IN (SELECT r::text FROM ${quoted(t)} AS r)`);
        }
      }
    });
}

export function sqliteProbe(file: string): StoreProbe {
  let db: Database.Database | null = null;
  const open = () => {
    if (db) return db;
    db = new Database(file);
    // A test's edits need no fsync: without it a tamper trial's two commits cost microseconds, not a disk flush each.
    db.pragma('synchronous = OFF');
    return db;
  };
  const probe: StoreProbe = {
    backend: 'sqlite',
    async query<R>(sql: string, ...params: unknown[]) {
      return open()
        .prepare(sql)
        .all(...params) as R[];
    },
    async run(sql: string, ...params: unknown[]) {
      return open()
        .prepare(sql)
        .run(...params).changes;
    },
    async dropAuditGuards() {
      open().exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_append_in_order;');
    },
    async behindTheLog(fn) {
      const db = open();
      const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
      db.pragma('foreign_keys = OFF');
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const t of triggers) db.exec(`DROP TRIGGER ${quoted(t.name)}`);
        await fn();
        for (const t of triggers) db.exec(t.sql);
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      } finally {
        db.pragma('foreign_keys = ON');
      }
    },
    keepTables(tables) {
      return keepTables(probe, tables);
    },
    async close() {
      db?.close();
      db = null;
    },
  };
  return probe;
}

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export function postgresProbe(url: string): StoreProbe {
  let client: Promise<pg.Client> | null = null;
  const open = () =>
    (client ??= (async () => {
      const c = new pg.Client({
        connectionString: url,
        types: {
          getTypeParser: (oid: number, format?: string) => (oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')),
        } as pg.CustomTypesConfig,
      });
      await c.connect();
      return c;
    })());
  const probe: StoreProbe = {
    backend: 'postgres',
    async query<R>(sql: string, ...params: unknown[]) {
      return (await (await open()).query(numbered(sql), params)).rows as R[];
    },
    async run(sql: string, ...params: unknown[]) {
      return (await (await open()).query(numbered(sql), params)).rowCount ?? 0;
    },
    async dropAuditGuards() {
      await (
        await open()
      ).query(
        'DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_delete ON audit_log; DROP TRIGGER audit_log_append_in_order ON audit_log;',
      );
    },
    async behindTheLog(fn) {
      const c = await open();
      await c.query('BEGIN');
      try {
        await c.query('SET LOCAL session_replication_role = replica');
        await fn();
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    },
    keepTables(tables) {
      return keepTables(probe, tables);
    },
    async close() {
      if (client) await (await client).end();
      client = null;
    },
  };
  return probe;
}

/**
 * One tamper trial: the tables kept, `edit` run behind the log and committed, `check` run (say
 * audit verify), the tables put back, so the next trial starts from the same rows.
 */
export async function tamperTrial<T>(
  probe: StoreProbe,
  tables: readonly string[],
  edit: (p: StoreProbe) => Promise<unknown>,
  check: () => Promise<T>,
): Promise<T> {
  const restore = await probe.keepTables(tables);
  try {
    await probe.behindTheLog(async () => void (await edit(probe)));
    return await check();
  } finally {
    await restore();
  }
}
