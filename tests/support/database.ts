/**
 * A fresh database per test for the backend a project runs on (EARWITNESS_TEST_BACKEND: sqlite,
 * the default, or postgres): an empty SQLite file in a temp folder, or a PostgreSQL database
 * copied from the run's migrated template (CREATE DATABASE ... TEMPLATE: milliseconds, where
 * migrating each would take a second). Each comes with its probe, for reaching under the port.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Store, StoreBackend } from '../../src/kernel/store-port.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { databaseUrl } from './pg-admin.ts';
import { postgresProbe, sqliteProbe, type StoreProbe } from './store-probe.ts';
import { tempDir } from './temp.ts';

export const testBackend = (): StoreBackend => (process.env.EARWITNESS_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite');

export interface TestDatabase {
  readonly backend: StoreBackend;
  readonly store: Store;
  readonly probe: StoreProbe;
  /** The database's URL, for other processes (PostgreSQL; the SQLite file's path). */
  readonly url: string;
  /** Another store on the same database, as a second process would open it (closed with the rest). */
  another(): Promise<Store>;
  close(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or '' when they can. */
export function postgresMissing(): string {
  const missing = inject('pgMissing');
  if (missing === undefined) return 'these tests run in the vitest project "postgres" (npx vitest run --project postgres), which finds the server';
  return missing;
}

/**
 * For describe.skipIf: true when the backend is PostgreSQL and no server is reachable, after
 * saying why. Under CI=1 a missing PostgreSQL is a failure, not a skip.
 */
export function backendUnavailable(suite: string, backend: StoreBackend = testBackend()): boolean {
  if (backend !== 'postgres') return false;
  const why = postgresMissing();
  if (!why) return false;
  if (process.env.CI) throw new Error(`"${suite}" needs PostgreSQL and CI=1 is set: ${why}`);
  console.warn(`skipping "${suite}": ${why}`);
  return true;
}

export async function openTestDatabase(backend: StoreBackend = testBackend()): Promise<TestDatabase> {
  return backend === 'sqlite' ? openSqlite() : openPostgres();
}

async function openSqlite(): Promise<TestDatabase> {
  const tmp = tempDir('earwitness-store-');
  const file = join(tmp.dir, 'earwitness.sqlite');
  const store = SqliteStore.open(file);
  const probe = sqliteProbe(file);
  const others: Store[] = [];
  return {
    backend: 'sqlite',
    store,
    probe,
    url: file,
    async another() {
      const s = SqliteStore.open(file);
      others.push(s);
      return s;
    },
    async close() {
      for (const s of others) await s.close();
      await store.close();
      await probe.close();
      tmp.cleanup();
    },
  };
}

/**
 * Copying the template takes about half a second (PostgreSQL writes the copy through its WAL), so
 * the next test's database is made while the current test runs. Names start with the template's,
 * so the run's teardown drops any left over.
 */
let prefetched: Promise<string> | null = null;

async function createDatabase(server: string, template: string): Promise<string> {
  const name = `${template}_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(server);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return name;
}

async function openPostgres(): Promise<TestDatabase> {
  const server = inject('pgServerUrl');
  const template = inject('pgTemplate');
  if (!server) throw new Error(postgresMissing());
  const name = await (prefetched ?? createDatabase(server, template));
  prefetched = createDatabase(server, template);
  prefetched.catch(() => undefined);
  const url = databaseUrl(server, name);
  const store = await PostgresStore.open(url, { migrations: false, max: 20 });
  const probe = postgresProbe(url);
  const others: Store[] = [];
  return {
    backend: 'postgres',
    store,
    probe,
    url,
    async another() {
      const s = await PostgresStore.open(url, { migrations: false, max: 20 });
      others.push(s);
      return s;
    },
    async close() {
      for (const s of others) await s.close();
      await store.close();
      await probe.close();
      const drop = new pg.Client(server);
      await drop.connect();
      try {
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** An empty PostgreSQL database (no migrations), for the migration runner's tests. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject('pgServerUrl');
  if (!server) throw new Error(postgresMissing());
  const name = `${inject('pgTemplate')}_t_empty_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(server);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(server, name),
    async drop() {
      const c = new pg.Client(server);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
