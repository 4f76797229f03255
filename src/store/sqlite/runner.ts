import type { Database, Statement } from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { StoreConstraintError, StoreReadOnlyError, type ConstraintKind } from '../../kernel/store-errors.ts';
import type { StatementRunner } from '../port/connection.ts';

/** Statements kept prepared, by SQL text: the port's SQL is a small fixed set, this bounds anything else. */
const CACHE_SIZE = 500;

const CONSTRAINTS: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_CONSTRAINT_TRIGGER: 'guard',
};

/**
 * better-sqlite3 under Kysely, as the store used it before: statements prepared once and kept
 * (least recently used dropped past CACHE_SIZE), run synchronously on the one connection.
 */
export class SqliteRunner implements StatementRunner {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (stmt) {
      this.cache.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  /** Runs a statement now (the adapter's BEGIN, COMMIT and pragmas too). */
  runSync(sql: string, parameters: readonly unknown[] = []): QueryResult<unknown> {
    const stmt = this.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(...parameters) };
    const r = stmt.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastInsertRowid) };
  }

  async run(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    return this.runSync(sql, parameters);
  }

  translate(error: unknown): unknown {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') return error;
    const message = error instanceof Error ? error.message : String(error);
    if (code in CONSTRAINTS) return new StoreConstraintError(CONSTRAINTS[code]!, message, { cause: error });
    if (code.startsWith('SQLITE_READONLY')) return new StoreReadOnlyError(`a write inside a read transaction: ${message}`, { cause: error });
    return error;
  }
}
