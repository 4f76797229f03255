import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommittedEvent } from '../../kernel/store-port.ts';
import { StoreUsageError } from '../../kernel/store-errors.ts';
import { log } from '../../util/log.ts';

type Listener = (events: readonly CommittedEvent[]) => void;

/**
 * What both adapters share around their transactions: committed-event listeners, and the
 * detection of a transaction opened inside another's callback (on SQLite's one connection that
 * would wait for itself forever; on PostgreSQL it would escape the outer transaction).
 */
export class PortCommon {
  private readonly listeners = new Set<Listener>();
  private readonly inside = new AsyncLocalStorage<'read' | 'write'>();

  onCommitted(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Throws when called from inside one of this store's transaction callbacks. */
  refuseNesting(kind: 'read' | 'write'): void {
    const outer = this.inside.getStore();
    if (outer) {
      throw new StoreUsageError(
        `store.${kind} was called inside a store.${outer} callback: use the transaction you were given (a nested one would deadlock or escape it)`,
      );
    }
  }

  runInside<T>(kind: 'read' | 'write', fn: () => Promise<T>): Promise<T> {
    return this.inside.run(kind, fn);
  }

  /** Hands committed events to every listener, once; a failing listener never stops the others. */
  deliver(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(events);
      } catch (e) {
        log.error({ err: e }, 'a committed-event listener failed');
      }
    }
  }
}
