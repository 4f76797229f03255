import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { findPgBin, startCluster, stopCluster } from '../../scripts/pg-cluster.mjs';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { databaseUrl } from './pg-admin.ts';

/** A PostgreSQL of a test's own: a throwaway cluster (so it can be restarted), one migrated database in it (the centre bench, the two-server e2e spec). */
export interface BenchDatabase {
  url: string;
  /** pg_ctl restart -m fast: every connection is cut, the server is back when this returns. */
  restart(): void;
  close(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function benchDatabase(): Promise<BenchDatabase> {
  // The bench restarts the server, so it never borrows one (EARWITNESS_TEST_PG_URL) that others may be using.
  const cluster = await startCluster();
  const name = `ew_centre_${randomBytes(4).toString('hex')}`;
  try {
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = databaseUrl(cluster.url, name);
    const pool = createPool(url, { max: 1 });
    try {
      await migratePostgres(pool, MIGRATIONS);
    } finally {
      await pool.end();
    }
    return {
      url,
      restart() {
        const bin = findPgBin().bin!;
        const exe = join(bin, 'pg_ctl');
        const args = ['-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'log'), '-m', 'fast', '-w', '-t', '60', 'restart'];
        const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
        const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: cluster.dir, timeout: 90_000 });
        if (r.status !== 0) throw new Error(`pg_ctl restart failed (${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().slice(-1000)}`);
      },
      async close() {
        stopCluster(cluster.dir);
      },
    };
  } catch (e) {
    stopCluster(cluster.dir);
    throw e;
  }
}
