import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { StoreUsageError } from '../../kernel/store-errors.ts';

/** Runs one statement on a backend's connection: the only place each adapter touches its driver for queries. */
export interface StatementRunner {
  run(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>>;
  /** The backend's error as the port names it (constraint kinds, read-only), or the error as it came. */
  translate(error: unknown): unknown;
}

/** What one transaction knows of itself while it runs. */
export interface TxState {
  /** The first statement that failed: the transaction is doomed (PostgreSQL aborts it; SQLite is made to behave the same). */
  failure: unknown;
  ended: boolean;
}

/**
 * The connection a transaction's queries run on. It refuses statements once the transaction has
 * ended (a query not awaited inside the callback would otherwise run outside it) or failed (so a
 * caught error never lets a half-done change commit, on either backend).
 */
export class TxConnection implements DatabaseConnection {
  constructor(
    private readonly runner: StatementRunner,
    readonly state: TxState,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.state.ended) throw new StoreUsageError('a query ran after its transaction ended (a missing await inside read or write?)');
    if (this.state.failure !== undefined) {
      throw new StoreUsageError(`the transaction already failed and will roll back: ${describe(this.state.failure)}`, { cause: this.state.failure });
    }
    try {
      return (await this.runner.run(query.sql, query.parameters)) as QueryResult<R>;
    } catch (e) {
      const translated = this.runner.translate(e);
      this.state.failure = translated;
      throw translated;
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new StoreUsageError('the store port reads in pages, not streams');
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
