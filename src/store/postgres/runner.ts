import { createHash } from 'node:crypto';
import type { QueryResult } from 'kysely';
import type pg from 'pg';
import { StoreConstraintError, StoreReadOnlyError, type ConstraintKind } from '../../kernel/store-errors.ts';
import type { StatementRunner } from '../port/connection.ts';

const CONSTRAINTS: Record<string, ConstraintKind> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
  // RAISE EXCEPTION in the guard triggers (audit chain, QA records, a label's project).
  P0001: 'guard',
};
const READ_ONLY = '25006';

/** Distinct statement texts given a server-side name, so each is parsed and planned once per connection. */
const NAMED_MAX = 2000;
const named = new Map<string, string>();

/** The prepared-statement name of a SQL text: fixed texts are named (and cached by each connection), beyond NAMED_MAX they run unnamed. */
function statementName(sql: string): string | undefined {
  let name = named.get(sql);
  if (name === undefined && named.size < NAMED_MAX) {
    name = `ew_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    named.set(sql, name);
  }
  return name;
}

/** pg under Kysely: one pooled client per transaction, statements prepared by name. */
export class PgRunner implements StatementRunner {
  constructor(private readonly client: pg.PoolClient | pg.Client) {}

  async run(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    const r = await this.client.query({ text: sql, values: parameters as unknown[], name: statementName(sql) });
    const changed = r.command === 'INSERT' || r.command === 'UPDATE' || r.command === 'DELETE' || r.command === 'MERGE';
    return { rows: r.rows ?? [], ...(changed ? { numAffectedRows: BigInt(r.rowCount ?? 0) } : {}) };
  }

  translate(error: unknown): unknown {
    return translatePgError(error);
  }
}

export function translatePgError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  const message = error instanceof Error ? error.message : String(error);
  if (code in CONSTRAINTS) return new StoreConstraintError(CONSTRAINTS[code]!, message, { cause: error });
  if (code === READ_ONLY) return new StoreReadOnlyError(`a write inside a read transaction: ${message}`, { cause: error });
  return error;
}

/** Serialization failure or deadlock: the whole transaction may simply run again. */
export function isRetryable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '40001' || code === '40P01') return true;
  }
  return false;
}
