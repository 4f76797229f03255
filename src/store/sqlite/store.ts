import { LocalLeadership } from '../../kernel/leadership.ts';
import type { Database } from 'better-sqlite3';
import type { CommittedEvent, Store, StoreTx, WriteOptions, WriteTx } from '../../kernel/store-port.ts';
import { StoreUsageError } from '../../kernel/store-errors.ts';
import { openDatabase, type OpenOptions } from '../db.ts';
import { TxConnection, type TxState } from '../port/connection.ts';
import { boundKysely } from '../port/kysely.ts';
import { PortCommon } from '../port/listeners.ts';
import { PortAttestations } from '../port/attested.ts';
import { beforeCommit, makeTx, type PendingEvent } from '../port/tx.ts';
import { Mutex } from './mutex.ts';
import { SqliteRunner } from './runner.ts';
import { portTransactionOpen } from './shared.ts';

/**
 * The store port on SQLite: one better-sqlite3 connection (WAL, synchronous=FULL, foreign keys,
 * busy_timeout, as openDatabase sets it) behind an async mutex, so transactions run one after
 * another. Writes take the write lock at BEGIN IMMEDIATE, as the synchronous store always has,
 * so a read-then-write can never interleave with another process; reads run in a deferred
 * transaction with query_only set, so a write inside one fails.
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  /** One process owns the file: it leads every singleton job. */
  readonly leadership = new LocalLeadership();
  private readonly common = new PortCommon();
  private readonly mutex = new Mutex();
  private readonly runner: SqliteRunner;
  private closed = false;

  private constructor(
    private readonly db: Database,
    /** Whether close() closes the connection (false when the synchronous Store owns it). */
    private readonly owned: boolean,
  ) {
    this.runner = new SqliteRunner(db);
  }

  /** Opens (creating and migrating) a database file. */
  static open(file: string, options?: OpenOptions): SqliteStore {
    return new SqliteStore(openDatabase(file, options), true);
  }

  /** The port over a connection the synchronous Store already holds (the transition: both see the same data). */
  static share(db: Database): SqliteStore {
    return new SqliteStore(db, false);
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.transaction('read', fn, {});
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.transaction('write', fn, options);
  }

  onCommitted(listener: (events: readonly CommittedEvent[]) => void): () => void {
    return this.common.onCommitted(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.leadership.close();
    // Waits for the transactions already queued.
    const release = await this.mutex.lock();
    release();
    if (this.owned && this.db.open) this.db.close();
  }

  private async transaction<T>(kind: 'read' | 'write', fn: (tx: WriteTx) => Promise<T>, options: WriteOptions): Promise<T> {
    this.common.refuseNesting(kind);
    if (this.closed) throw new StoreUsageError('the store is closed');
    const release = await this.mutex.lock();
    const events: PendingEvent[] = [];
    let result: T;
    try {
      result = await this.run(kind, fn, options, events);
    } finally {
      release();
    }
    this.common.deliver(events.map((e) => ({ ...e, local: true }) as CommittedEvent));
    return result;
  }

  private async run<T>(kind: 'read' | 'write', fn: (tx: WriteTx) => Promise<T>, options: WriteOptions, events: PendingEvent[]): Promise<T> {
    if (!this.db.open) throw new StoreUsageError('the database connection is closed');
    if (this.db.inTransaction) {
      throw new StoreUsageError('a synchronous store.tx is open on this connection: finish it before starting a port transaction');
    }
    const relaxed = kind === 'write' && options.durability === 'relaxed';
    const previousSync = relaxed ? (this.db.pragma('synchronous', { simple: true }) as number) : null;
    // Through the runner's kept statements: db.pragma prepares its text anew each time, which was
    // about a seventh of the CPU of a seat opening an alert (three reads) in a profile.
    if (kind === 'read') this.runner.runSync('PRAGMA query_only = 1');
    if (relaxed) this.db.pragma('synchronous = NORMAL');
    const state: TxState = { failure: undefined, ended: false };
    try {
      this.runner.runSync(kind === 'read' ? 'BEGIN' : 'BEGIN IMMEDIATE');
      portTransactionOpen.add(this.db);
      const ctx = { db: boundKysely('sqlite', new TxConnection(this.runner, state)), backend: 'sqlite' as const, attested: new PortAttestations() };
      const tx = makeTx(ctx, state, kind === 'write' ? events : null);
      let result: T;
      try {
        result = await this.common.runInside(kind, () => fn(tx));
        // A statement failed and the callback caught it: the change is incomplete, so nothing commits.
        if (state.failure !== undefined) throw state.failure;
        if (kind === 'write') await beforeCommit(ctx);
      } catch (e) {
        state.ended = true;
        events.length = 0;
        if (this.db.inTransaction) this.runner.runSync('ROLLBACK');
        throw e;
      }
      state.ended = true;
      try {
        this.runner.runSync('COMMIT');
      } catch (e) {
        events.length = 0;
        if (this.db.inTransaction) this.runner.runSync('ROLLBACK');
        throw e;
      }
      return result;
    } finally {
      state.ended = true;
      portTransactionOpen.delete(this.db);
      if (this.db.open) {
        if (kind === 'read') this.runner.runSync('PRAGMA query_only = 0');
        if (previousSync !== null) this.db.pragma(`synchronous = ${previousSync}`);
      }
    }
  }
}
