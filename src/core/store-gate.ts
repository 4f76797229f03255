import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store as StorePort, StoreTx, WriteOptions, WriteTx } from '../kernel/store-port.ts';

/**
 * While services move to the store port, the port and the synchronous Store share one SQLite
 * connection. A synchronous store.tx cannot wait, and must not begin while a port transaction is
 * open on that connection (it would join it): one seat's claimNext awaiting its statements while
 * another seat's decide runs in between would fail. The gate keeps them apart: calls of services
 * still on the synchronous store hold it shared (many at once, as before), each port transaction
 * holds it alone. Writers are preferred, so a steady stream of calls cannot starve the queue.
 * It goes when the last service has moved to the port.
 */
export class StoreGate {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly waitingExclusive: (() => void)[] = [];
  private readonly waitingShared: (() => void)[] = [];

  async shared(): Promise<() => void> {
    if (this.exclusiveHeld || this.waitingExclusive.length > 0) await new Promise<void>((resolve) => this.waitingShared.push(resolve));
    else this.sharedHolders++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.sharedHolders--;
      this.next();
    };
  }

  async exclusive(): Promise<() => void> {
    if (this.exclusiveHeld || this.sharedHolders > 0) await new Promise<void>((resolve) => this.waitingExclusive.push(resolve));
    else this.exclusiveHeld = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.exclusiveHeld = false;
      this.next();
    };
  }

  /** Hands the gate on: to the next port transaction when nothing holds it, else to every waiting shared call. */
  private next(): void {
    if (this.exclusiveHeld) return;
    if (this.sharedHolders === 0 && this.waitingExclusive.length > 0) {
      this.exclusiveHeld = true;
      this.waitingExclusive.shift()!();
      return;
    }
    if (this.waitingExclusive.length === 0) {
      this.sharedHolders += this.waitingShared.length;
      for (const wake of this.waitingShared.splice(0)) wake();
    }
  }
}

/** The port with each transaction holding the gate alone (see StoreGate). */
export function gatedPort(port: StorePort, gate: StoreGate): StorePort {
  const inside = new AsyncLocalStorage<true>();
  const alone = async <T>(run: () => Promise<T>): Promise<T> => {
    // A transaction begun inside another's callback goes straight to the port, which refuses it clearly (waiting here would never end).
    if (inside.getStore()) return run();
    const release = await gate.exclusive();
    try {
      return await inside.run(true, run);
    } finally {
      release();
    }
  };
  return {
    backend: port.backend,
    read: <T>(fn: (tx: StoreTx) => Promise<T>) => alone(() => port.read(fn)),
    write: <T>(fn: (tx: WriteTx) => Promise<T>, options?: WriteOptions) => alone(() => port.write(fn, options)),
    onCommitted: (listener) => port.onCommitted(listener),
    // Jobs run outside any transaction: nothing to gate.
    leadership: port.leadership,
    close: () => port.close(),
  };
}
