import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommittedEvent, Store, StoreTx, WriteOptions, WriteTx } from '../../kernel/store-port.ts';
import { StoreUsageError } from '../../kernel/store-errors.ts';
import { MIGRATIONS } from '../migrations/index.ts';
import type { Migration } from '../migrations/types.ts';
import { TxConnection, type TxState } from '../port/connection.ts';
import { boundKysely } from '../port/kysely.ts';
import { PortCommon } from '../port/listeners.ts';
import { PortAttestations } from '../port/attested.ts';
import { beforeCommit, makeTx, type PendingEvent } from '../port/tx.ts';
import { EventListener, publishEvents } from './events.ts';
import { PgLeadership } from './leadership.ts';
import { migratePostgres } from './migrate.ts';
import { createPool, type Pool, type PoolClient, type PoolOptions } from './pool.ts';
import { isRetryable, PgRunner } from './runner.ts';
import { log } from '../../util/log.ts';

/** How many times a write runs before a serialization failure or deadlock is given up on. */
const MAX_ATTEMPTS = 8;

export interface PostgresStoreOptions extends PoolOptions {
  /** Migrations to apply at open (default: all); `false` to open a database migrated elsewhere. */
  migrations?: readonly Migration[] | false;
}

/**
 * The store port on PostgreSQL: a pg pool, one pooled connection per transaction. Reads are
 * REPEATABLE READ READ ONLY (one snapshot for all their queries); writes READ COMMITTED with
 * the row locks the query groups take where a change depends on what it read (the alert row, the
 * audit head, SKIP LOCKED for the queue and the delivery outbox), run again whole on a
 * serialization failure or deadlock. Committed events also go to every other process on the
 * database through NOTIFY, and theirs come back through one LISTEN connection.
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  /** Tags this store's notifications, so it does not hand its own events to its listeners twice. */
  readonly origin = randomUUID();
  private readonly common = new PortCommon();
  private readonly listener: EventListener;
  private closed = false;
  private led: PgLeadership | null = null;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
  ) {
    this.listener = new EventListener(url, pool, this.origin, (events) => this.common.deliver(events));
  }

  /** Made on first use: its connection is opened only by a process that runs singleton jobs. */
  get leadership(): PgLeadership {
    if (this.closed) throw new StoreUsageError('the store is closed');
    return (this.led ??= new PgLeadership(this.url));
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, options);
    try {
      if (options.migrations !== false) await migratePostgres(pool, options.migrations ?? MIGRATIONS);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(url, pool);
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.transaction('read', fn, {});
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.transaction('write', fn, options);
  }

  onCommitted(listener: (events: readonly CommittedEvent[]) => void): () => void {
    const off = this.common.onCommitted(listener);
    void this.listening().catch((e) => log.error({ err: e }, "cannot listen for other processes' events"));
    return off;
  }

  /** Resolves once other processes' events are being received (LISTEN in force). */
  listening(): Promise<void> {
    return this.listener.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.led?.close();
    await this.listener.stop();
    // pool.end() waits for the connections of running transactions to come back.
    await this.pool.end();
  }

  private async transaction<T>(kind: 'read' | 'write', fn: (tx: WriteTx) => Promise<T>, options: WriteOptions): Promise<T> {
    this.common.refuseNesting(kind);
    if (this.closed) throw new StoreUsageError('the store is closed');
    for (let attempt = 1; ; attempt++) {
      const events: PendingEvent[] = [];
      try {
        const result = await this.attempt(kind, fn, options, events);
        this.common.deliver(events.map((e) => ({ ...e, local: true }) as CommittedEvent));
        return result;
      } catch (e) {
        if (kind === 'write' && attempt < MAX_ATTEMPTS && isRetryable(e)) {
          // Jittered, growing pauses, so the transactions that collided do not collide again.
          await sleep(Math.random() * 5 * 2 ** attempt);
          continue;
        }
        throw e;
      }
    }
  }

  private async attempt<T>(kind: 'read' | 'write', fn: (tx: WriteTx) => Promise<T>, options: WriteOptions, events: PendingEvent[]): Promise<T> {
    const client = await this.pool.connect();
    // A connection whose ROLLBACK failed is in an unknown state: it does not go back to the pool.
    let broken = false;
    // The pool listens for errors only on idle connections; one cut while checked out (the database
    // restarted) emits 'error' here, which with no listener would end the process. The transaction's
    // own query fails with the reason; the connection is not given back.
    const onError = (e: Error) => {
      broken = true;
      log.warn(`PostgreSQL connection lost in a transaction: ${e.message}`);
    };
    client.on('error', onError);
    const state: TxState = { failure: undefined, ended: false };
    try {
      await client.query(kind === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      if (kind === 'write' && options.durability === 'relaxed') await client.query('SET LOCAL synchronous_commit = off');
      const ctx = {
        db: boundKysely('postgres', new TxConnection(new PgRunner(client), state)),
        backend: 'postgres' as const,
        attested: new PortAttestations(),
      };
      const tx = makeTx(ctx, state, kind === 'write' ? events : null);
      try {
        const result = await this.common.runInside(kind, () => fn(tx));
        if (state.failure !== undefined) throw state.failure;
        if (kind === 'write') await beforeCommit(ctx);
        state.ended = true;
        if (events.length > 0) await publishEvents(client, this.origin, events);
        const done = await client.query('COMMIT');
        // PostgreSQL answers COMMIT with ROLLBACK when the transaction had already failed.
        if (done.command === 'ROLLBACK') throw new StoreUsageError('the transaction had failed and was rolled back');
        return result;
      } catch (e) {
        state.ended = true;
        events.length = 0;
        await rollback(client).catch(() => (broken = true));
        throw e;
      }
    } finally {
      state.ended = true;
      // A broken connection keeps the listener: its socket's last error may come after it is let go.
      if (!broken) client.off('error', onError);
      client.release(broken);
    }
  }
}

async function rollback(client: PoolClient): Promise<void> {
  await client.query('ROLLBACK');
}
