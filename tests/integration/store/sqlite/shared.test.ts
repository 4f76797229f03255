import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../../src/audit/verify.ts';
import { ClipStore } from '../../../../src/store/clip-store.ts';
import { Store } from '../../../../src/store/store.ts';
import { newAlert, T0 } from '../../../support/store-fixtures.ts';
import { tempDir } from '../../../support/temp.ts';

/** While services move to the port, the synchronous Store and the port share one SQLite connection. */
describe("the store port over the synchronous Store's connection", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open(join(tmp.dir, 'earwitness.sqlite'));
  });
  afterEach(async () => {
    await store.port().close();
    store.close();
    tmp.cleanup();
  });

  it('sees what the other wrote, both ways, as one database', async () => {
    const port = store.port();
    expect(store.port()).toBe(port);
    const id = await port.write((tx) => tx.alerts.insert(newAlert(1)));
    expect(store.alerts.summary(id)?.externalId).toBe('A-1');
    store.tx(() => store.settings.put('k', { v: 1 }, T0));
    expect(await port.read((tx) => tx.settings.get('k'))).toEqual({ v: 1 });
    store.tx(() => store.audit.append({ atUs: T0, actor: 'a', action: 'x.y', entity: 'e', payload: {} }));
    const row = await port.write((tx) => tx.audit.append({ atUs: T0 + 1, actor: 'a', action: 'x.z', entity: 'e', payload: {} }));
    // Entry 1 attests the setting (record.attested), 2 is the synchronous store's, 3 the port's.
    expect(row.seq).toBe(3);
    expect(store.audit.last()).toEqual({ seq: 3, hash: row.hash });
  });

  it('refuses a synchronous transaction begun while a port transaction is open, instead of joining it', async () => {
    const port = store.port();
    await expect(
      port.write(async (tx) => {
        await tx.settings.put('a', 1, T0);
        store.tx(() => store.settings.put('b', 2, T0));
      }),
    ).rejects.toThrow(/while an asynchronous store transaction is open/);
    expect(store.settings.get('a')).toBeUndefined();
    expect(store.settings.get('b')).toBeUndefined();
    expect(() => store.tx(() => store.settings.put('c', 3, T0))).not.toThrow();
  });

  it('runs a port transaction started inside a synchronous one after it, as a transaction of its own', async () => {
    let attempt: Promise<unknown> = Promise.resolve();
    expect(() =>
      store.tx(() => {
        attempt = store.port().write((tx) => tx.settings.put('a', 1, T0));
        store.settings.put('b', 2, T0);
        throw new Error('the synchronous one fails');
      }),
    ).toThrow('the synchronous one fails');
    // The port waited for the synchronous transaction (it cannot yield), which rolled back alone.
    await attempt;
    expect([store.settings.get('a'), store.settings.get('b')]).toEqual([1, undefined]);
  });

  it('leaves the connection to its owner when the port closes, and restores the durability it relaxed', async () => {
    const port = store.port();
    await port.write((tx) => tx.settings.put('a', 1, T0), { durability: 'relaxed' });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    await port.read(async (tx) => tx.settings.get('a'));
    expect(store.db.pragma('query_only', { simple: true })).toBe(0);
    await port.close();
    expect(store.settings.get('a')).toBe(1);
  });

  it("keeps the attested record whole across both: audit verify accepts changes made through the port beside the synchronous store's, and names one made behind them", async () => {
    const port = store.port();
    const core = { storePort: port, clips: new ClipStore(join(tmp.dir, 'clips')), config: { dataDir: tmp.dir, defaultTemperatureC: 20 } };
    const bob = await port.write(async (tx) => {
      const a = await tx.accounts.insert({ name: 'bob', displayName: 'Bob', passwordHash: 'h', roles: ['reviewer'], createdUs: T0, createdBy: 'ada' });
      await tx.audit.append({ atUs: T0, actor: 'ada', action: 'account.created', entity: `account:${a.id}`, payload: { name: 'bob' } });
      await tx.settings.put('seat', { queueOrder: 'oldest_first' }, T0);
      return a.id;
    });
    store.tx(() => {
      store.settings.put('seat', { queueOrder: 'likely_gunfire_first' }, T0 + 1);
      store.audit.append({ atUs: T0 + 1, actor: 'ada', action: 'settings.changed', entity: 'settings:seat', payload: {} });
    });
    await port.write((tx) => tx.accounts.setDisabled(bob, T0 + 2));
    const honest = await verifyAudit(core, { clips: false });
    expect(honest.problems).toEqual([]);
    expect(honest.ok).toBe(true);
    expect(store.audit.withActionPrefix('record.attested')).toHaveLength(2);
    store.db.prepare('UPDATE accounts SET roles_json = \'["admin"]\' WHERE id = ?').run(bob);
    const tampered = await verifyAudit(core, { clips: false });
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.map((p) => (p as { message: string }).message)).toEqual([
      expect.stringMatching(/^account 1 differs from what entry \d+ attested$/),
    ]);
  });
});
