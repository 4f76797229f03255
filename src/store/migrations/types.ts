import type { Database } from 'better-sqlite3';

/**
 * One schema step. Versions are unique and applied in order, each in its own transaction, and
 * recorded in schema_migrations, so an older file or database upgrades in place.
 */
export interface Migration {
  version: number;
  name: string;
  /** The step on SQLite: plain SQL, exactly as it has always been (existing data folders upgrade with it). */
  sql?: string;
  /** A SQLite step that must move data. */
  up?: (db: Database) => void;
  /**
   * The same step on PostgreSQL: BIGINT for ids, times and counts, DOUBLE PRECISION for REAL,
   * BYTEA for BLOB, TEXT COLLATE "C" (SQLite compares bytes), guards in PL/pgSQL. A step without
   * it cannot run on PostgreSQL (the runner refuses, and a test names it).
   */
  postgres?: string;
  /** A PostgreSQL step that must move data: runs after `postgres`, in the same transaction. */
  postgresUp?: (db: PostgresMigrationClient) => Promise<void>;
}

/** What a PostgreSQL data step may do: run statements (`$1` placeholders) in the migration's transaction. int8 comes back as a number. */
export interface PostgresMigrationClient {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
