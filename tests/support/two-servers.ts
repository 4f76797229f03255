import { join } from 'node:path';
import { openCore, type Core } from '../../src/core/core.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import type { Clock } from '../../src/util/time.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';
import { tempDir } from './temp.ts';

export interface TwoServers {
  a: Core;
  b: Core;
  /** Reads the database directly, as the tests' probe does. */
  probe: TestDatabase['probe'];
  close(): Promise<void>;
}

/**
 * Two servers (two cores, each with its own pool and LISTEN connection) on one fresh PostgreSQL
 * test database, as two `serve` processes of a centre would be; `clock` shared when given.
 */
export async function twoServersOnOneDatabase(clock?: Clock): Promise<TwoServers> {
  const tmp = tempDir();
  const t = await openTestDatabase('postgres');
  const open = async (name: string) => {
    const port = await PostgresStore.open(t.url, { migrations: false, max: 10 });
    await port.listening();
    return openCore({ dataDir: join(tmp.dir, name), storePort: port, ...(clock ? { clock } : {}) });
  };
  const a = await open('a');
  const b = await open('b');
  return {
    a,
    b,
    probe: t.probe,
    async close() {
      await a.close();
      await b.close();
      await t.close();
      tmp.cleanup();
    },
  };
}
