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
  close(): Promise<void>;
}

export function sqliteProbe(file: string): StoreProbe {
  let db: Database.Database | null = null;
  const open = () => (db ??= new Database(file));
  return {
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
    async close() {
      db?.close();
      db = null;
    },
  };
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
  return {
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
    async close() {
      if (client) await (await client).end();
      client = null;
    },
  };
}
