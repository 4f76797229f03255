import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommittedEvent, Store } from '../../../../src/kernel/store-port.ts';
import type { PostgresStore } from '../../../../src/store/postgres/store.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';

/** Waits until `check` holds, polling; the LISTEN connection delivers asynchronously. */
async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for events');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ids = (batches: CommittedEvent[][]) =>
  batches.map((b) => b.map((e) => `${e.event}:${(e.payload as { alert: { id: number } }).alert.id}:${e.local ? 'local' : 'remote'}`));

describe.skipIf(backendUnavailable('events across processes', 'postgres'))('committed events across stores on one PostgreSQL database', () => {
  let t: TestDatabase;
  let other: Store;
  let here: CommittedEvent[][];
  let there: CommittedEvent[][];
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
    other = await t.another();
    here = [];
    there = [];
    t.store.onCommitted((e) => here.push([...e]));
    other.onCommitted((e) => there.push([...e]));
    await (t.store as PostgresStore).listening();
    await (other as PostgresStore).listening();
  });
  afterEach(async () => t.close());
  const announce = (store: Store, alertIds: number[], fail = false) =>
    store.write(async (tx) => {
      for (const id of alertIds) tx.emit('alertAdded', { alert: { id } } as never);
      if (fail) throw new Error('rolled back');
    });

  it('reaches the other store after commit, once, and this store once (not again through NOTIFY)', async () => {
    await announce(t.store, [1, 2]);
    await announce(other, [3]);
    await eventually(() => there.length === 2 && here.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(ids(here)).toEqual([['alertAdded:1:local', 'alertAdded:2:local'], ['alertAdded:3:remote']]);
    expect(ids(there)).toEqual([['alertAdded:1:remote', 'alertAdded:2:remote'], ['alertAdded:3:local']]);
  });

  it('never reaches anyone when the write rolls back', async () => {
    await expect(announce(t.store, [1], true)).rejects.toThrow('rolled back');
    await announce(t.store, [2]);
    await eventually(() => there.length === 1);
    expect(ids(there)).toEqual([['alertAdded:2:remote']]);
    expect(ids(here)).toEqual([['alertAdded:2:local']]);
  });

  it('carries a batch too large for one NOTIFY through the outbox, whole and in order', async () => {
    const many = Array.from({ length: 400 }, (_, i) => i + 1);
    await announce(t.store, many);
    await announce(t.store, [1000]);
    await eventually(() => there.length === 2);
    expect(there[0]!.map((e) => (e.payload as { alert: { id: number } }).alert.id)).toEqual(many);
    expect(ids([there[1]!])).toEqual([['alertAdded:1000:remote']]);
    expect(await t.probe.query('SELECT count(*)::int AS n FROM event_outbox')).toEqual([{ n: 1 }]);
  });

  it("keeps each store's commit order, and brings every event to every store once", async () => {
    for (let i = 1; i <= 20; i++) await announce(i % 2 ? t.store : other, [i]);
    await eventually(() => here.length === 20 && there.length === 20);
    const order = (batches: CommittedEvent[][], local: boolean) =>
      batches.filter((b) => b[0]!.local === local).map((b) => (b[0]!.payload as { alert: { id: number } }).alert.id);
    const odd = Array.from({ length: 10 }, (_, i) => 2 * i + 1);
    const even = odd.map((n) => n + 1);
    // A store's own events come at its commit, the others' a moment later through LISTEN: each
    // origin's order holds, while the two streams may interleave differently on each store.
    expect([order(here, true), order(here, false)]).toEqual([odd, even]);
    expect([order(there, true), order(there, false)]).toEqual([even, odd]);
  });
});
