/**
 * `openCore` for tests that run on either backend (EARWITNESS_TEST_BACKEND): on SQLite the core of
 * the data folder, as the desktop runs; on PostgreSQL the same core on a fresh database copied
 * from the run's template, as a centre runs. One database per data folder, so a core opened again
 * on the same folder (a restart) finds what the first left, as with the folder's SQLite file.
 * A database lives as long as its data folder: dropped after a test that removed the folder (and
 * closed its cores), else after the file.
 * On PostgreSQL `core.store` (the synchronous SQLite store) throws: a test that reaches into it
 * would read a file nothing of the core writes, and pass or fail for nothing.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { openCore, type Core, type CoreOptions } from '../../src/core/core.ts';
import { dataPaths } from '../../src/kernel/paths.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { openTestDatabase, testBackend, type TestDatabase } from './database.ts';
import { sqliteProbe, type StoreProbe } from './store-probe.ts';

interface FolderDatabase {
  readonly db: TestDatabase;
  openCores: number;
}

const databases = new Map<string, FolderDatabase>();
/** SQLite probes handed out, closed after each test (a probe holds the file open). */
const sqliteProbes: StoreProbe[] = [];

async function folderDatabase(dataDir: string): Promise<FolderDatabase> {
  let entry = databases.get(dataDir);
  if (!entry) {
    entry = { db: await openTestDatabase('postgres'), openCores: 0 };
    databases.set(dataDir, entry);
  }
  return entry;
}

export async function openTestCore(options: CoreOptions): Promise<Core> {
  if (options.storePort || testBackend() === 'sqlite') return openCore(options);
  const entry = await folderDatabase(options.dataDir);
  const core = openCore({ ...options, storePort: await PostgresStore.open(entry.db.url, { migrations: false, max: 10 }) });
  entry.openCores++;
  Object.defineProperty(core, 'store', {
    get() {
      throw new Error('core.store is the SQLite file of the data folder; on PostgreSQL reach the rows through core.storePort or testProbe()');
    },
  });
  const close = core.close.bind(core);
  let closing: Promise<void> | null = null;
  core.close = () =>
    (closing ??= close().finally(() => {
      entry.openCores--;
    }));
  return core;
}

/** The database URL of a data folder's test database (PostgreSQL), for a command or process given `--database`; undefined on SQLite. */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (testBackend() === 'sqlite') return undefined;
  return (await folderDatabase(dataDir)).db.url;
}

/** Raw SQL under the port, on the database a data folder's cores use (store-probe.ts). */
export async function testProbe(dataDir: string): Promise<StoreProbe> {
  if (testBackend() === 'postgres') return (await folderDatabase(dataDir)).db.probe;
  const probe = sqliteProbe(dataPaths(dataDir).database);
  sqliteProbes.push(probe);
  return probe;
}

async function dropDatabases(all: boolean): Promise<void> {
  // A closed SQLite probe opens again when next used (a probe of the file's, taken in beforeAll).
  for (const p of all ? sqliteProbes.splice(0) : sqliteProbes) await p.close();
  for (const [dir, entry] of databases) {
    if (!all && (entry.openCores > 0 || existsSync(dir))) continue;
    databases.delete(dir);
    await entry.db.close();
  }
}

// Registered only under vitest: the end-to-end tests (Playwright) import the cli helper too.
if (process.env.VITEST) {
  afterEach(() => dropDatabases(false));
  afterAll(() => dropDatabases(true));
}

/**
 * Raw SQL on a core's database, either backend (the probe's `?` placeholders): what a test reads
 * or changes under the port. Aliases in camelCase need quotes ("detectedUs"): PostgreSQL folds
 * bare names to lower case.
 */
export function testSql(core: Core) {
  const probe = () => testProbe(core.config.dataDir);
  return {
    rows: async <R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> => (await probe()).query<R>(sql, ...params),
    row: async <R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R | undefined> => (await (await probe()).query<R>(sql, ...params))[0],
    /** The first column of the first row (better-sqlite3's pluck().get()). */
    value: async <T = unknown>(sql: string, ...params: unknown[]): Promise<T | undefined> => {
      const first = (await (await probe()).query(sql, ...params))[0];
      return first === undefined ? undefined : (Object.values(first)[0] as T);
    },
    /** The first column of every row (pluck().all()). */
    column: async <T = unknown>(sql: string, ...params: unknown[]): Promise<T[]> =>
      (await (await probe()).query(sql, ...params)).map((r) => Object.values(r)[0] as T),
    run: async (sql: string, ...params: unknown[]): Promise<number> => (await probe()).run(sql, ...params),
  };
}
