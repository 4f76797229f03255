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
 * Integers are read exactly (safeIntegers) and handed on as numbers, refused past 2^53 as the
 * PostgreSQL pool refuses them, where better-sqlite3 alone would round them silently.
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
      if (stmt.reader) stmt.safeIntegers(true);
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  /** Runs a statement now (the adapter's BEGIN, COMMIT and pragmas too). */
  runSync(sql: string, parameters: readonly unknown[] = []): QueryResult<unknown> {
    const stmt = this.prepare(sql);
    if (stmt.reader) return { rows: exactRows(stmt.all(...parameters) as Record<string, unknown>[]) };
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

/** Rows with their 64-bit integers as numbers, or a RangeError for one a number cannot hold exactly. */
function exactRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key in row) {
      const v = row[key];
      if (typeof v === 'bigint') {
        if (v > MAX || v < MIN) throw new RangeError(`the integer ${v} is beyond what the store can read exactly (2^53 - 1)`);
        row[key] = Number(v);
      }
    }
  }
  return rows;
}
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;
