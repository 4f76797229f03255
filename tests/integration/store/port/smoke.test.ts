import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';

describe.skipIf(backendUnavailable('store smoke'))(`store smoke (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());

  it('writes and reads', async () => {
    await t.store.write(async (tx) => tx.settings.put('k', { a: 1 }, 5));
    expect(await t.store.read((tx) => tx.settings.get('k'))).toEqual({ a: 1 });
    const row = await t.store.write((tx) => tx.audit.append({ atUs: 1, actor: 'a', action: 'x.y', entity: 'e', payload: { n: 1 } }));
    expect(row.seq).toBe(1);
    expect(await t.store.read((tx) => tx.audit.count())).toBe(1);
  });
});
