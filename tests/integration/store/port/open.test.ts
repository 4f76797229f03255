import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorePort } from '../../../../src/store/open.ts';
import { tempDir } from '../../../support/temp.ts';

describe('choosing the store', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('opens the SQLite file when no URL is given', async () => {
    const store = await openStorePort({ sqliteFile: join(tmp.dir, 'earwitness.sqlite') });
    expect(store.backend).toBe('sqlite');
    await store.write((tx) => tx.settings.put('k', 1, 1));
    await store.close();
  });

  it('refuses a URL that names no PostgreSQL server, instead of guessing', async () => {
    await expect(openStorePort({ url: 'mysql://db/earwitness', sqliteFile: join(tmp.dir, 'x.sqlite') })).rejects.toThrow(/postgres:\/\/ or postgresql:\/\//);
  });
});
