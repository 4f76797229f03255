import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommittedEvent } from '../../../../src/kernel/store-port.ts';
import { StoreConstraintError, StoreReadOnlyError, StoreUsageError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAlert, T0 } from '../../../support/store-fixtures.ts';

const backend = testBackend();

describe.skipIf(backendUnavailable('store transactions'))(`store transactions (${backend})`, () => {
  let t: TestDatabase;
  let seen: CommittedEvent[][];
  beforeEach(async () => {
    t = await openTestDatabase();
    seen = [];
    t.store.onCommitted((events) => seen.push([...events]));
  });
  afterEach(async () => t.close());

  const settingsCount = async () => Number((await t.probe.query<{ n: number }>('SELECT count(*) AS n FROM settings'))[0]!.n);

  it('refuses a write inside a read transaction, and the read changes nothing', async () => {
    await expect(
      t.store.read(async (tx) => {
        await (tx as unknown as { settings: { put(k: string, v: unknown, at: number): Promise<void> } }).settings.put('k', 1, 1);
      }),
    ).rejects.toBeInstanceOf(StoreReadOnlyError);
    expect(await settingsCount()).toBe(0);
    // The connection is usable for writes afterwards (query_only was reset; the PostgreSQL connection went back clean).
    await t.store.write((tx) => tx.settings.put('k', 2, 2));
    expect(await t.store.read((tx) => tx.settings.get('k'))).toBe(2);
  });

  it('refuses emit inside a read', async () => {
    await expect(t.store.read(async (tx) => (tx as unknown as { emit(e: string, p: unknown): void }).emit('alertAdded', {}))).rejects.toThrow(
      /emit inside store.write/,
    );
  });

  it("refuses a transaction opened inside another one's callback, with a clear error", async () => {
    await expect(t.store.write(async () => t.store.read(async () => 1))).rejects.toThrow(StoreUsageError);
    await expect(t.store.write(async () => t.store.write(async () => 1))).rejects.toThrow(/inside a store.write callback/);
    await expect(t.store.read(async () => t.store.write(async () => 1))).rejects.toThrow(/inside a store.read callback/);
    // Outside, both work again.
    expect(await t.store.read(async () => 7)).toBe(7);
  });

  it('delivers the events of a write once, after it commits, in the order announced', async () => {
    const summary = await t.store.write(async (tx) => {
      const id = await tx.alerts.insert(newAlert(1));
      const s = (await tx.alerts.summary(id))!;
      tx.emit('alertAdded', { alert: s });
      tx.emit('alertAdded', { alert: { ...s, id: s.id + 100 } });
      expect(seen).toEqual([]);
      return s;
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((e) => [e.event, (e.payload as { alert: { id: number } }).alert.id, e.local])).toEqual([
      ['alertAdded', summary.id, true],
      ['alertAdded', summary.id + 100, true],
    ]);
    // A write announcing nothing delivers nothing.
    await t.store.write((tx) => tx.settings.put('x', 1, 1));
    expect(seen).toHaveLength(1);
  });

  it('delivers nothing, and keeps nothing, when the write fails', async () => {
    await expect(
      t.store.write(async (tx) => {
        await tx.alerts.insert(newAlert(1));
        tx.emit('alertAdded', { alert: (await tx.alerts.summary(1))! });
        throw new Error('the change is refused');
      }),
    ).rejects.toThrow('the change is refused');
    expect(seen).toEqual([]);
    expect(await t.store.read((tx) => tx.alerts.list('all', 10))).toEqual([]);
  });

  it('rolls back a write whose callback caught a failed statement, on both backends, with that error', async () => {
    await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    const attempt = t.store.write(async (tx) => {
      await tx.settings.put('before', 1, 1);
      try {
        await tx.alerts.insert(newAlert(1));
      } catch {
        /* a caller hoping to carry on */
      }
      await expect(tx.settings.put('after', 1, 1)).rejects.toThrow(/already failed/);
      tx.emit('alertAdded', { alert: { id: 1 } } as never);
    });
    await expect(attempt).rejects.toSatisfy((e: unknown) => e instanceof StoreConstraintError && e.kind === 'unique');
    expect(await settingsCount()).toBe(0);
    expect(seen).toEqual([]);
  });

  it('refuses a query that outlives its transaction (a missing await)', async () => {
    let late: Promise<unknown> = Promise.resolve();
    await t.store.write(async (tx) => {
      late = (async () => {
        await new Promise((r) => setTimeout(r, 20));
        return tx.settings.put('late', 1, 1);
      })();
    });
    await expect(late).rejects.toThrow(/after its transaction ended/);
    expect(await settingsCount()).toBe(0);
  });

  it('serialises read-then-write transactions that take the same lock, so none is lost', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.store.write(async (tx) => {
          await tx.lock('counter');
          const n = ((await tx.settings.get<number>('counter')) ?? 0) + 1;
          await tx.settings.put('counter', n, T0 + i);
          await tx.audit.append({ atUs: T0 + i, actor: 'a', action: 'counter.bumped', entity: 'settings:counter', payload: { n } });
        }),
      ),
    );
    expect(await t.store.read((tx) => tx.settings.get('counter'))).toBe(20);
    expect(await t.store.read((tx) => tx.audit.count())).toBe(20);
  });

  it('takes relaxed durability for one write', async () => {
    await t.store.write((tx) => tx.settings.put('k', 1, 1), { durability: 'relaxed' });
    expect(await t.store.read((tx) => tx.settings.get('k'))).toBe(1);
  });

  it('a listener that throws does not stop the others, nor fail the write', async () => {
    t.store.onCommitted(() => {
      throw new Error('listener bug');
    });
    // The failure goes to the process's log, which shows errors on stderr.
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      await t.store.write(async (tx) => tx.emit('alertAdded', { alert: { id: 1 } } as never));
    } finally {
      stderr.mockRestore();
    }
    expect(seen).toHaveLength(1);
    expect(written.filter((w) => w.includes('error: a committed-event listener failed') && w.includes('listener bug'))).toHaveLength(1);
  });

  it('refuses work after close', async () => {
    await t.store.close();
    await expect(t.store.read(async () => 1)).rejects.toThrow(/closed/);
  });
});
