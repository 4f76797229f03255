import type { CommittedEvent } from '../../kernel/store-port.ts';
import type { PendingEvent } from '../port/tx.ts';
import { createClient, type Client, type Pool, type PoolClient } from './pool.ts';
import { log } from '../../util/log.ts';

/** The channel every Earwitness process on one database listens on. */
export const EVENT_CHANNEL = 'earwitness_events';
/** NOTIFY payloads must stay under 8000 bytes; larger batches go through event_outbox. */
const NOTIFY_MAX_BYTES = 7900;
/** Outbox rows older than this are gone: every listener has long read them. */
const OUTBOX_KEEP_US = 3600 * 1_000_000;

/** What one NOTIFY carries: the origin store, and the events or the outbox row holding them. */
interface Notice {
  o: string;
  e?: [string, unknown][];
  x?: number;
}

const pack = (events: readonly PendingEvent[]): [string, unknown][] => events.map((e) => [e.event, e.payload]);
const unpack = (events: [string, unknown][]): CommittedEvent[] => events.map(([event, payload]) => ({ event, payload, local: false }) as CommittedEvent);

/**
 * Announces a transaction's events to every other process, inside the transaction: PostgreSQL
 * delivers a NOTIFY only when its transaction commits, and never when it rolls back.
 */
export async function publishEvents(client: PoolClient, origin: string, events: readonly PendingEvent[]): Promise<void> {
  const inline = JSON.stringify({ o: origin, e: pack(events) } satisfies Notice);
  if (Buffer.byteLength(inline) <= NOTIFY_MAX_BYTES) {
    await client.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, inline]);
    return;
  }
  const nowUs = Date.now() * 1000;
  await client.query('DELETE FROM event_outbox WHERE created_us < $1', [nowUs - OUTBOX_KEEP_US]);
  const { rows } = await client.query<{ id: number }>('INSERT INTO event_outbox (origin, events_json, created_us) VALUES ($1, $2, $3) RETURNING id', [
    origin,
    JSON.stringify(pack(events)),
    nowUs,
  ]);
  await client.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, JSON.stringify({ o: origin, x: rows[0]!.id } satisfies Notice)]);
}

/**
 * One LISTEN connection per store: other processes' committed events, in commit order, to
 * `deliver`. A lost connection is re-established (with growing pauses); events committed while
 * it was down are not replayed, and the gap is logged.
 */
export class EventListener {
  private client: Client | null = null;
  private stopped = false;
  private ready: Promise<void> | null = null;
  /** Deliveries in order, even when one must first read the outbox. */
  private chain: Promise<void> = Promise.resolve();
  private retryMs = 500;

  constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly origin: string,
    private readonly deliver: (events: CommittedEvent[]) => void,
  ) {}

  /** Starts listening (once); resolves when LISTEN is in force. */
  start(): Promise<void> {
    return (this.ready ??= this.connect());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await this.chain.catch(() => undefined);
    if (c) await c.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = createClient(this.url, 'earwitness-listen');
    client.on('notification', (msg) => {
      if (msg.channel !== EVENT_CHANNEL || !msg.payload) return;
      this.chain = this.chain.then(() => this.receive(msg.payload!)).catch((e) => log.error({ err: e }, 'a committed event from another process was lost'));
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${EVENT_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = 500;
  }

  private lost(client: Client, e: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    log.warn(`the PostgreSQL event connection was lost (${e.message}); events of other processes until it is back are missed`);
    const retry = () => {
      if (this.stopped) return;
      this.connect().catch(() => {
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
        setTimeout(retry, this.retryMs).unref();
      });
    };
    setTimeout(retry, this.retryMs).unref();
  }

  private async receive(payload: string): Promise<void> {
    const notice = JSON.parse(payload) as Notice;
    // This store handed its own events to its listeners right after COMMIT.
    if (notice.o === this.origin) return;
    if (notice.e) return this.deliver(unpack(notice.e));
    if (notice.x !== undefined) {
      const { rows } = await this.pool.query<{ events_json: string }>('SELECT events_json FROM event_outbox WHERE id = $1', [notice.x]);
      if (rows[0]) this.deliver(unpack(JSON.parse(rows[0].events_json) as [string, unknown][]));
    }
  }
}
