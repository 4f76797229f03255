import type { CommittedEvent, Leadership, Store, StoreBackend, StoreTx, WriteOptions, WriteTx } from '../../kernel/store-port.ts';

type Listener = (events: readonly CommittedEvent[]) => void;

/**
 * A store opened on first use. Loading Kysely costs about a second of module loading on a cold
 * start (three hundred files), which every CLI command and test process would pay for a port
 * none of its services uses yet; read and write are asynchronous anyway, so nothing else changes.
 */
export class LazyStore implements Store {
  private opened: Promise<Store> | null = null;
  private readonly listeners = new Set<Listener>();
  private closed = false;

  constructor(
    readonly backend: StoreBackend,
    private readonly open: () => Promise<Store>,
    /** Who runs singleton jobs: needed before the store opens (a job may start at once). */
    readonly leadership: Leadership,
  ) {}

  private store(): Promise<Store> {
    return (this.opened ??= this.open().then((s) => {
      s.onCommitted((events) => {
        for (const l of this.listeners) l(events);
      });
      return s;
    }));
  }

  async read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return (await this.store()).read(fn);
  }

  async write<T>(fn: (tx: WriteTx) => Promise<T>, options?: WriteOptions): Promise<T> {
    return (await this.store()).write(fn, options);
  }

  onCommitted(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.leadership.close();
    if (this.opened) await (await this.opened).close();
  }
}
