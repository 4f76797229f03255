/**
 * Kysely as a typed query builder and compiler only: connections, transactions and retries are
 * the adapters' own (BEGIN IMMEDIATE, read-only snapshots, row locks, NOTIFY), so each
 * transaction gets a Kysely bound to its one connection.
 *
 * Why Kysely: it has first-party SQLite and PostgreSQL dialects, types every query from one
 * schema description, and its builder reads like the SQL it emits (with the `sql` template for
 * what a builder cannot say), so today's queries stay recognisable. Drizzle wants its own schema
 * DSL and migration tool, and its SQLite driver layer would sit between us and better-sqlite3's
 * prepared statements; Knex is untyped; slonik is PostgreSQL only; hand-written SQL per dialect
 * would double every query and drift.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SingleConnectionProvider,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
} from 'kysely';
import type { StoreBackend } from '../../kernel/store-port.ts';
import type { Schema } from '../schema.ts';

const dialects: Record<StoreBackend, Dialect> = {
  sqlite: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  postgres: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
};

const bases: Partial<Record<StoreBackend, Kysely<Schema>>> = {};

function base(backend: StoreBackend): Kysely<Schema> {
  return (bases[backend] ??= new Kysely<Schema>({ dialect: dialects[backend] }));
}

/** A Kysely whose every query runs on `connection` (one transaction's). */
export function boundKysely(backend: StoreBackend, connection: DatabaseConnection): Kysely<Schema> {
  const b = base(backend);
  const dialect = dialects[backend];
  return new Kysely<Schema>({
    config: { dialect },
    dialect,
    driver: new DummyDriver(),
    executor: b.getExecutor().withConnectionProvider(new SingleConnectionProvider(connection)),
  });
}
